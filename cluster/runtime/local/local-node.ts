/**
 * One node of a local cluster: commands and daemons run as host processes, inside the node's
 * network namespace when it has one (`ip netns exec` execs the command, so the pid we get is
 * the daemon's own). Daemons are detached, so a cluster left up by `cluster up` outlives the CLI.
 */
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { constants } from 'node:os';
import { execa, type Options } from 'execa';
import { CLOCK_FILE, fakeTimeEnv, writeOffsetFile } from '../faketime.js';
import { NODE_ENV, RUN_ENV } from '../run-tag.js';
import type { Daemon, DaemonSpec, ExecResult, StartedNode } from '../runtime.js';
import { TrackedDaemon } from '../tracked-daemon.js';

/** A node placed as processes on this host. */
export class LocalNode implements StartedNode {
  readonly dataDir: string;
  private readonly spawned: TrackedDaemon[] = [];

  constructor(
    readonly name: string,
    readonly address: string,
    private readonly runId: string,
    /** The node's network namespace, or undefined when nodes share the host's loopback. */
    readonly namespace: string | undefined,
    readonly hostLogDir: string,
    private readonly clockDir: string,
  ) {
    this.dataDir = path.join(hostLogDir, 'data');
  }

  private argv(command: string[]): [string, string[]] {
    if (command.length === 0) throw new Error('empty command');
    if (this.namespace) return ['ip', ['netns', 'exec', this.namespace, ...command]];
    // Without a namespace a command runs on the host itself: firewall commands would change the
    // host's rules for every node (and everything else), so refuse them.
    if (/(^|\/)(ip6?tables(-restore|-save)?|nft|tc)$/.test(command[0]!)) {
      throw new Error(
        `'${command[0]}' in node ${this.name} would change the host's own network: nodes share loopback here (see cluster.capabilities.reasons)`,
      );
    }
    return [command[0]!, command.slice(1)];
  }

  async exec(command: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    const [file, args] = this.argv(command);
    const r = await execa(file, args, {
      reject: false,
      input: opts.input,
      timeout: opts.timeoutMs,
      env: { [RUN_ENV]: this.runId },
      stripFinalNewline: false,
    });
    if (r.timedOut) throw new Error(`'${command.join(' ')}' timed out after ${opts.timeoutMs} ms`);
    if (r.exitCode === undefined && r.signal === undefined)
      throw new Error(`cannot run '${command.join(' ')}': ${r.message}`);
    return { exitCode: exitCodeOf(r.exitCode, r.signal), stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  async spawn(spec: DaemonSpec): Promise<Daemon> {
    await mkdir(this.hostLogDir, { recursive: true });
    const fd = openSync(path.join(this.hostLogDir, `${spec.name}.log`), 'a');
    const [file, args] = this.argv(spec.command);
    try {
      const options = {
        detached: true,
        cleanup: false,
        reject: false,
        buffer: false,
        stdin: 'ignore',
        // The child writes the log file itself (execa passes any fd through; its types list only 3-9),
        // so logging goes on after the CLI that left a cluster up has exited.
        stdout: fd as 3,
        stderr: fd as 3,
        ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
        env: {
          [RUN_ENV]: this.runId,
          [NODE_ENV]: this.name,
          ...spec.env,
          ...(spec.fakeTime ? fakeTimeEnv(path.join(this.clockDir, CLOCK_FILE)) : {}),
        },
      } satisfies Options;
      const sub = execa(file, args, options);
      const pid = sub.pid;
      if (pid === undefined) {
        const r = await sub;
        throw new Error(`cannot start ${spec.name} in ${this.name}: ${r.message}`);
      }
      const exit = sub.then((r) => exitCodeOf(r.exitCode, r.signal));
      const daemon = new TrackedDaemon(spec.name, pid, pid, exit);
      this.spawned.unshift(daemon);
      return daemon;
    } finally {
      closeSync(fd);
    }
  }

  daemons(): readonly Daemon[] {
    return this.spawned;
  }

  async setClockOffset(offsetMs: number): Promise<void> {
    await writeOffsetFile(path.join(this.clockDir, CLOCK_FILE), offsetMs);
  }

  async collectLogs(): Promise<void> {
    // Logs and data are written in <logDir>/<node>/ directly.
  }

  /** SIGKILLs every daemon still running and waits for them. */
  async killAll(): Promise<void> {
    await Promise.all(this.spawned.map((d) => d.signal('SIGKILL')));
  }
}

function exitCodeOf(code: number | undefined, signal: string | undefined): number {
  if (code !== undefined) return code;
  const n = signal ? constants.signals[signal as NodeJS.Signals] : undefined;
  return n === undefined ? -1 : 128 + n;
}
