/**
 * A daemon on a remote host: started by the SPAWN script, signalled with `kill` over SSH, and
 * known to have exited when the channel watching it reports its supervisor's record.
 */
import { appendFileSync } from 'node:fs';
import { TrackedDaemon, type DaemonSignal } from '../tracked-daemon.js';
import { SPAWN } from './remote-scripts.js';
import type { SshConnection } from './ssh-connection.js';
import { shellJoin, shScript } from './shell.js';

/** A daemon whose pid is on another machine. */
export class RemoteDaemon extends TrackedDaemon {
  constructor(
    name: string,
    pid: number,
    exit: Promise<number>,
    private readonly connection: SshConnection,
  ) {
    super(name, pid, pid, exit);
  }

  protected override async deliver(sig: DaemonSignal): Promise<boolean> {
    const r = await this.connection.run(shellJoin(['kill', '-s', sig.replace(/^SIG/, ''), String(this.pid)]), {
      timeoutMs: 20_000,
    });
    if (r.exitCode === 0) return true;
    if (/no such process/i.test(r.stderr)) return false;
    throw new Error(`kill -s ${sig} ${this.pid} on ${this.connection.label} failed: ${r.stderr.trim()}`);
  }
}

/** What starting a daemon on a host needs. */
export interface RemoteSpawn {
  connection: SshConnection;
  /** The node's folder on the host. */
  nodeDir: string;
  name: string;
  /** Distinguishes this start from earlier ones of the same daemon in the node. */
  seq: number;
  /** Environment entries, the marker first. */
  env: Record<string, string>;
  /** The command as the host sees it. */
  command: string[];
  /** The host-side file the daemon's log lines are appended to as they come. */
  localLog: string;
}

/** Starts a daemon and resolves once its pid is known; throws with the host's reason otherwise. */
export async function spawnRemote(s: RemoteSpawn): Promise<RemoteDaemon> {
  const envArgs = Object.entries(s.env).map(([k, v]) => `${k}=${v}`);
  const exports = Object.entries(s.env)
    .filter(([k]) => k.startsWith('SPLITBRAIN'))
    .map(([k, v]) => `${k}=${shellJoin([v])}; export ${k}`)
    .join('; ');
  const script = `${exports}\n${SPAWN}`;
  const command = shScript(script, [s.nodeDir, s.name, String(s.seq), ...envArgs, ...s.command]);
  let stderr = '';
  let exitCode: number | undefined;
  let onPid: ((pid: number) => void) | undefined;
  const pid = new Promise<number>((resolve) => (onPid = resolve));
  const { done } = await s.connection.stream(
    command,
    (b) => appendFileSync(s.localLog, b),
    (b) => {
      stderr += b.toString('utf8');
      for (const m of stderr.matchAll(/^pid (\d+)$/gm)) onPid?.(Number(m[1]));
      const exit = /^exit (\d+)$/m.exec(stderr);
      if (exit) exitCode = Number(exit[1]);
    },
  );
  const ended = done.then(() => exitCode ?? -1);
  const started = await Promise.race([pid, ended.then(() => undefined)]);
  if (started === undefined) {
    const why =
      stderr
        .replace(/^error: /gm, '')
        .trim()
        .split('\n')[0] || 'no reason given';
    throw new Error(`host ${s.connection.label}: cannot start ${s.name}: ${why}`);
  }
  return new RemoteDaemon(s.name, started, ended, s.connection);
}
