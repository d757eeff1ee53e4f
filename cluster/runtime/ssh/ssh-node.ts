/**
 * One node of an SSH cluster: a remote host reached over one connection. Commands run there as
 * they are; a command naming this machine's node binary or a file of the project gets the host's
 * node and the copy in the node's bundle folder instead. Daemons log into the node's folder on
 * the host, mirrored into `<logDir>/<node>/` as they write; collectLogs copies the logs and the
 * data folder over the mirror.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { CLOCK_FILE, fakeTimeEnv, formatOffset } from '../faketime.js';
import type { Daemon, DaemonSpec, ExecResult, StartedNode } from '../runtime.js';
import type { RemoteBundle } from './bundle.js';
import { markerEnv, type NodeLayout } from './remote-layout.js';
import { spawnRemote, type RemoteDaemon } from './remote-daemon.js';
import type { SshConnection } from './ssh-connection.js';
import { shellJoin, shScript } from './shell.js';

/** What a node found on its host at start-up. */
export interface HostFacts {
  /** The host's node binary, or why there is none usable. */
  node: { path: string } | { problem: string };
}

/** A node placed on a remote host. */
export class SshNode implements StartedNode {
  readonly dataDir: string;
  private readonly spawned: RemoteDaemon[] = [];
  private spawns = 0;

  constructor(
    readonly name: string,
    readonly address: string,
    private readonly runId: string,
    readonly connection: SshConnection,
    readonly layout: NodeLayout,
    private readonly bundle: RemoteBundle,
    private readonly facts: HostFacts,
    /** Host folder for this node's logs and copied data. */
    readonly hostLogDir: string,
  ) {
    this.dataDir = layout.data;
  }

  /** Rewrites this machine's node binary and project files to their places on the host, copying files first. */
  private async translate(command: string[]): Promise<string[]> {
    if (command.length === 0) throw new Error('empty command');
    const project = command.filter((a) => this.bundle.holds(a));
    if (project.length > 0) await this.bundle.ensure(project);
    return command.map((a) => {
      if (a === process.execPath) {
        if ('problem' in this.facts.node) throw new Error(`host ${this.connection.label}: ${this.facts.node.problem}`);
        return this.facts.node.path;
      }
      return this.bundle.holds(a) ? this.bundle.remotePath(a) : a;
    });
  }

  async exec(command: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    const argv = await this.translate(command);
    const env = Object.entries(markerEnv(this.runId, this.layout)).map(([k, v]) => `${k}=${v}`);
    // The host kills what outlives the time limit (one second after we stop waiting for it).
    const limit =
      opts.timeoutMs === undefined ? [] : ['timeout', '-s', 'KILL', String(Math.ceil(opts.timeoutMs / 1000) + 1)];
    const line = shellJoin(['env', ...env, ...limit, ...argv]);
    return this.connection.run(line, {
      ...(opts.input === undefined ? {} : { input: opts.input }),
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
  }

  async spawn(spec: DaemonSpec): Promise<Daemon> {
    await mkdir(this.hostLogDir, { recursive: true });
    const command = await this.translate(spec.command);
    const argv = spec.cwd === undefined ? command : ['sh', '-c', 'cd "$0" && exec "$@"', spec.cwd, ...command];
    const daemon = await spawnRemote({
      connection: this.connection,
      nodeDir: this.layout.root,
      name: spec.name,
      seq: ++this.spawns,
      env: {
        ...markerEnv(this.runId, this.layout),
        ...spec.env,
        ...(spec.fakeTime ? fakeTimeEnv(path.posix.join(this.layout.clock, CLOCK_FILE)) : {}),
      },
      command: argv,
      localLog: path.join(this.hostLogDir, `${spec.name}.log`),
    });
    this.spawned.unshift(daemon);
    return daemon;
  }

  daemons(): readonly Daemon[] {
    return this.spawned;
  }

  async setClockOffset(offsetMs: number): Promise<void> {
    const file = path.posix.join(this.layout.clock, CLOCK_FILE);
    // Written beside and renamed over, so the daemon never reads a half-written file.
    const r = await this.connection.run(
      shScript('printf "%s\\n" "$1" >"$2.tmp" && mv "$2.tmp" "$2"', [formatOffset(offsetMs), file]),
      { timeoutMs: 20_000 },
    );
    if (r.exitCode !== 0) throw new Error(`host ${this.connection.label}: cannot write ${file}: ${r.stderr.trim()}`);
  }

  async collectLogs(): Promise<void> {
    await copyNodeFiles(this.connection, this.layout, this.hostLogDir);
  }

  /** SIGKILLs every daemon still running (a stopped one too) and waits for each to be seen gone. */
  async killAll(): Promise<void> {
    await Promise.all(
      this.spawned.map(async (d) => {
        await d.signal('SIGKILL').catch(() => undefined);
      }),
    );
  }
}

/**
 * Copies a node's logs (over the mirrored ones, the host's copy being complete) and its data
 * folder (as data/) into `hostLogDir`. Nothing to copy once teardown has removed the folder.
 */
export async function copyNodeFiles(connection: SshConnection, layout: NodeLayout, hostLogDir: string): Promise<void> {
  await mkdir(hostLogDir, { recursive: true });
  const remote = shScript('cd "$1" 2>/dev/null || exit 0; exec tar -c -f - -C logs . -C "$1" data', [layout.root]);
  let bytes = 0;
  const counter = new PassThrough().on('data', (b: Buffer) => (bytes += b.length));
  const tar = execa('tar', ['-x', '-f', '-', '-C', hostLogDir], { stdin: 'pipe', reject: false });
  counter.pipe(tar.stdin!);
  const r = await connection.run(remote, { stdout: counter, timeoutMs: 120_000 });
  const local = await tar;
  if (r.exitCode !== 0) throw new Error(`host ${connection.label}: cannot copy logs: ${r.stderr.trim()}`);
  if (local.failed && bytes > 0) throw new Error(`cannot unpack the logs from ${connection.label}: ${local.stderr}`);
}
