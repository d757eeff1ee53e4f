/**
 * The bundled raftkv as a DB: one node process per cluster node, started from the compiled
 * `dist/cluster/raftkv/node/main.js` under libfaketime (so the clock nemesis bites), recovering
 * from its data directory after a kill. It can be killed, paused, asked for its leader, and its
 * clock can be skewed.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { ClockAware, Db, DbOptions, Killable, LeaderAware, Pausable } from '../db.js';
import type { Daemon, StartedCluster, StartedNode } from '../runtime/runtime.js';
import { probeJson, waitFor } from './http-probe.js';
import { hostPort, nodePort } from './ports.js';
import { splitbrainRoot } from './project-root.js';

/** Raft peer traffic. */
export const RAFTKV_PEER_PORT = 7000;
/** The client HTTP API. */
export const RAFTKV_CLIENT_PORT = 8000;

/** How long setup waits for every node to serve and a leader to be elected. */
const SERVE_TIMEOUT_MS = 30_000;

interface RaftkvStatus {
  id?: string;
  role?: string;
  lead?: string | null;
  leaderAddr?: string | null;
}

/** Options of the raftkv DB. */
export interface RaftkvDbOptions {
  /** Path of the node entry; default `<project>/dist/cluster/raftkv/node/main.js`. */
  nodeMain?: string;
  /** Extra node flags, e.g. `['--tick-ms', '20']`. */
  extraArgs?: string[];
}

/** The raftkv DB. */
export class RaftkvDb implements Db, Killable, Pausable, LeaderAware, ClockAware {
  readonly name = 'raftkv';
  readonly clockSkewEffective = true;
  private readonly daemons = new Map<string, Daemon>();
  private cluster: StartedCluster | undefined;
  private bugs: string[] = [];
  private readonly nodeMain: string;

  constructor(private readonly opts: RaftkvDbOptions = {}) {
    this.nodeMain = opts.nodeMain ?? path.join(splitbrainRoot(), 'dist', 'cluster', 'raftkv', 'node', 'main.js');
  }

  async setup(cluster: StartedCluster, opts: DbOptions): Promise<void> {
    if (!existsSync(this.nodeMain))
      throw new Error(`raftkv node not built: ${this.nodeMain} is missing (run npm run build)`);
    this.cluster = cluster;
    this.bugs = opts.bugs ?? [];
    await Promise.all(cluster.nodes.map((n) => this.start(n)));
    await this.waitServing(cluster);
  }

  /** Waits until every node answers /health and they agree on one leader. */
  private async waitServing(cluster: StartedCluster): Promise<void> {
    await waitFor('raftkv did not elect a leader every node knows', SERVE_TIMEOUT_MS, async () => {
      const statuses = await Promise.all(
        cluster.nodes.map(async (n) => {
          const health = await probeJson(`${this.clientEndpoint(n)}/health`, 1000);
          if (health?.status !== 200) return undefined;
          return (await probeJson(`${this.clientEndpoint(n)}/status`, 1000))?.body as RaftkvStatus | undefined;
        }),
      );
      const leads = new Set(statuses.map((s) => s?.lead ?? null));
      return leads.size === 1 && !leads.has(null) ? true : undefined;
    });
  }

  async teardown(cluster: StartedCluster): Promise<void> {
    await Promise.all(
      cluster.nodes.map(async (n) => {
        const d = this.daemons.get(n.name);
        this.daemons.delete(n.name);
        if (d?.isRunning()) {
          if (d.isPaused()) await d.signal('SIGCONT').catch(() => undefined);
          await d.signal('SIGKILL').catch(() => undefined);
          await withTimeout(d.exited(), 5000);
        }
        await n.collectLogs().catch(() => undefined);
      }),
    );
  }

  clientEndpoint(node: StartedNode): string {
    return `http://${hostPort(node.address, this.clientPort(node))}`;
  }

  async kill(node: StartedNode): Promise<void> {
    const d = this.daemons.get(node.name);
    if (!d?.isRunning()) return;
    await d.signal('SIGKILL');
    await withTimeout(d.exited(), 10_000);
  }

  async start(node: StartedNode): Promise<void> {
    const cluster = this.requireCluster();
    if (this.daemons.get(node.name)?.isRunning()) return;
    const peers = cluster.nodes.map((n) => `${n.name}=${hostPort(n.address, nodePort(cluster, n, RAFTKV_PEER_PORT))}`);
    const clients = cluster.nodes.map((n) => `${n.name}=${hostPort(n.address, this.clientPort(n))}`);
    const command = [
      process.execPath,
      this.nodeMain,
      '--id',
      node.name,
      '--peers',
      peers.join(','),
      '--client-port',
      String(this.clientPort(node)),
      '--client-addrs',
      clients.join(','),
      '--data-dir',
      path.posix.join(node.dataDir, 'raftkv'),
      ...this.bugs.flatMap((b) => ['--bug', b]),
      ...(this.opts.extraArgs ?? []),
    ];
    const daemon = await node.spawn({ name: 'raftkv', command, fakeTime: true });
    this.daemons.set(node.name, daemon);
  }

  async pause(node: StartedNode): Promise<void> {
    const d = this.daemons.get(node.name);
    if (d?.isRunning() && !d.isPaused()) await d.signal('SIGSTOP');
  }

  async resume(node: StartedNode): Promise<void> {
    const d = this.daemons.get(node.name);
    if (d?.isRunning() && d.isPaused()) await d.signal('SIGCONT');
  }

  /** The leader most reachable nodes name (undefined when none or no agreement). */
  async leader(cluster: StartedCluster): Promise<string | undefined> {
    const statuses = await Promise.all(
      cluster.nodes.map(async (n) => {
        if (this.daemons.get(n.name)?.isPaused()) return undefined;
        return (await probeJson(`${this.clientEndpoint(n)}/status`, 500))?.body as RaftkvStatus | undefined;
      }),
    );
    const leaders = statuses.filter((s) => s?.role === 'leader').map((s) => s!.id);
    if (leaders.length === 1) return leaders[0];
    const votes = new Map<string, number>();
    for (const s of statuses) if (s?.lead) votes.set(s.lead, (votes.get(s.lead) ?? 0) + 1);
    let best: string | undefined;
    for (const [lead, n] of votes) if (!best || n > votes.get(best)!) best = lead;
    return best;
  }

  /** The daemon running on a node, if any (for tests and the nemesis summary). */
  daemon(node: string): Daemon | undefined {
    return this.daemons.get(node);
  }

  private clientPort(node: StartedNode): number {
    return nodePort(this.requireCluster(), node, RAFTKV_CLIENT_PORT);
  }

  private requireCluster(): StartedCluster {
    if (!this.cluster) throw new Error('raftkv: setup has not run');
    return this.cluster;
  }
}

/** Resolves when `p` does or after `ms`, whichever is first (a stuck exit must not hang teardown). */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
