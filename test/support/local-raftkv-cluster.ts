import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeStatus } from '../../cluster/raftkv/node/index.js';
import { projectRoot } from '../../cluster/runtime/index.js';

/** Options for a cluster of raftkv node processes on loopback. */
export interface LocalClusterOptions {
  size?: number;
  /** First port: peer ports are base+i, client ports base+100+i. */
  basePort: number;
  bugs?: string[];
  /** Extra arguments for every node. */
  extraArgs?: string[];
  /** Loopback address per node (default 127.0.0.1 for all); distinct ones let iptables cut one node off. */
  hosts?: string[];
  /** Where data dirs and logs go; a fresh temporary directory by default (removed by stop). */
  dir?: string;
}

/** The compiled node entry (run `npm run build` first). */
const MAIN = join(projectRoot(), 'dist', 'cluster', 'raftkv', 'node', 'main.js');

/** GETs a JSON document from host:port, or undefined on any error or timeout. */
function getJson<T>(port: number, path: string, timeoutMs = 500, host = '127.0.0.1'): Promise<T | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * Starts raftkv node processes (the compiled dist/ entry) on 127.0.0.1, for the raftkv
 * integration tests and the benchmarks (only they use it, so it lives under test/): kill -9 and restart single nodes, find the leader, remove everything on stop.
 */
export class LocalRaftkvCluster {
  readonly ids: string[];
  readonly dir: string;
  private readonly procs = new Map<string, ChildProcess>();
  private readonly ownDir: boolean;

  constructor(private readonly opts: LocalClusterOptions) {
    const n = opts.size ?? 3;
    this.ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    this.ownDir = opts.dir === undefined;
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'raftkv-cluster-'));
  }

  peerPort(id: string): number {
    return this.opts.basePort + this.ids.indexOf(id) + 1;
  }

  host(id: string): string {
    return this.opts.hosts?.[this.ids.indexOf(id)] ?? '127.0.0.1';
  }

  clientPort(id: string): number {
    return this.opts.basePort + 100 + this.ids.indexOf(id) + 1;
  }

  /** The compiled entry the nodes run. */
  static readonly entry = MAIN;

  /** The exact argv (after `node`) used to start a node. */
  argv(id: string): string[] {
    const peers = this.ids.map((p) => `${p}=${this.host(p)}:${this.peerPort(p)}`).join(',');
    const args = [
      MAIN,
      '--id',
      id,
      '--peers',
      peers,
      '--client-port',
      String(this.clientPort(id)),
      '--data-dir',
      join(this.dir, id),
    ];
    for (const b of this.opts.bugs ?? []) args.push('--bug', b);
    return [...args, ...(this.opts.extraArgs ?? [])];
  }

  /** Starts every node and waits for a leader that all nodes agree on. */
  async start(timeoutMs = 20_000): Promise<string> {
    for (const id of this.ids) this.startNode(id);
    return this.waitForLeader(timeoutMs);
  }

  /** Starts (or restarts) one node from its data directory; stderr goes to DIR/ID.log. */
  startNode(id: string): void {
    if (this.procs.has(id)) throw new Error(`node ${id} is already running`);
    const log = openSync(join(this.dir, `${id}.log`), 'a');
    const p = spawn(process.execPath, this.argv(id), { stdio: ['ignore', log, log] });
    closeSync(log);
    this.procs.set(id, p);
    p.once('exit', () => {
      if (this.procs.get(id) === p) this.procs.delete(id);
    });
  }

  /** Sends SIGKILL to one node and waits for it to be gone. */
  async kill(id: string): Promise<void> {
    const p = this.procs.get(id);
    if (!p) return;
    this.procs.delete(id);
    const gone = new Promise<void>((r) =>
      p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r()),
    );
    p.kill('SIGKILL');
    await gone;
  }

  running(id: string): boolean {
    return this.procs.has(id);
  }

  async status(id: string): Promise<NodeStatus | undefined> {
    return getJson<NodeStatus>(this.clientPort(id), '/status', 500, this.host(id));
  }

  /** The leader that every running node reports, once they agree. */
  async waitForLeader(timeoutMs = 20_000, exclude: string[] = []): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const running = this.ids.filter((id) => this.procs.has(id) && !exclude.includes(id));
      const sts = await Promise.all(running.map((id) => this.status(id)));
      const leaders = sts.filter((s) => s?.role === 'leader');
      if (leaders.length === 1 && sts.every((s) => s && s.lead === leaders[0]!.id)) return leaders[0]!.id;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no agreed leader within ${timeoutMs} ms (logs in ${this.dir})`);
  }

  /** Kills every node and removes the data directory (if this cluster created it). */
  async stop(keepDir = false): Promise<void> {
    await Promise.all([...this.procs.keys()].map((id) => this.kill(id)));
    if (this.ownDir && !keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
