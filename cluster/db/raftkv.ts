/**
 * The bundled raftkv as a DB: one node process per cluster node, started from the compiled
 * `dist/cluster/raftkv/node/main.js` under libfaketime (so the clock nemesis bites), recovering
 * from its data directory after a kill. It can be killed, paused, asked for its leader, and its
 * clock can be skewed.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { ClockAware, DbOptions, LeaderAware, RaftNodeStatus, RaftStatusAware } from './db.js';
import type { NodeStatus } from '../raftkv/node/index.js';
import { projectRoot, type Daemon, type StartedCluster, type StartedNode } from '../runtime/index.js';
import { DaemonDb } from './daemon-db.js';
import { probeJson } from './http-probe.js';
import { hostPort } from './ports.js';

/** Raft peer traffic. */
export const RAFTKV_PEER_PORT = 7000;
/** The client HTTP API. */
export const RAFTKV_CLIENT_PORT = 8000;

/** Options of the raftkv DB. */
export interface RaftkvDbOptions {
  /** Path of the node entry; default `<project>/dist/cluster/raftkv/node/main.js`. */
  nodeMain?: string;
  /** Extra node flags, e.g. `['--tick-ms', '20']`. */
  extraArgs?: string[];
}

/** The raftkv DB. */
export class RaftkvDb extends DaemonDb implements LeaderAware, ClockAware, RaftStatusAware {
  readonly clockSkewEffective = true;
  /** A line the node writes only when it stops itself (failed fsync, a broken Raft invariant): the test fails. */
  readonly fatalLogPattern = /^\S+ \S+ fatal: /;
  private bugs: string[] = [];
  private readonly nodeMain: string;

  constructor(private readonly opts: RaftkvDbOptions = {}) {
    super({
      name: 'raftkv',
      clientPort: RAFTKV_CLIENT_PORT,
      peerPort: RAFTKV_PEER_PORT,
      fakeTime: true,
      serveTimeoutMs: 30_000,
      notServing: 'raftkv did not elect a leader every node knows',
    });
    this.nodeMain = opts.nodeMain ?? path.join(projectRoot(), 'dist', 'cluster', 'raftkv', 'node', 'main.js');
  }

  protected override configure(opts: DbOptions): void {
    if (!existsSync(this.nodeMain))
      throw new Error(`raftkv node not built: ${this.nodeMain} is missing (run npm run build)`);
    this.bugs = opts.bugs ?? [];
  }

  /** True when every node answers /health and they agree on one leader. */
  protected override async isServing(cluster: StartedCluster): Promise<boolean> {
    const statuses = await Promise.all(
      cluster.nodes.map(async (n) => {
        const health = await probeJson(`${this.clientEndpoint(n)}/health`, 1000);
        if (health?.status !== 200) return undefined;
        return (await probeJson(`${this.clientEndpoint(n)}/status`, 1000))?.body as NodeStatus | undefined;
      }),
    );
    const leads = new Set(statuses.map((s) => s?.lead ?? null));
    return leads.size === 1 && !leads.has(null);
  }

  protected override command(node: StartedNode, cluster: StartedCluster): string[] {
    // A node listens on its own entry and dials the others' (the link proxy's, when there is one).
    const peers = cluster.nodes.map(
      (n) => `${n.name}=${n.name === node.name ? this.peerListenHostPort(n) : this.peerHostPort(n)}`,
    );
    const clients = cluster.nodes.map((n) => `${n.name}=${hostPort(n.address, this.clientPort(n))}`);
    return [
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
  }

  /** The leader most reachable nodes name (undefined when none or no agreement). */
  async leader(cluster: StartedCluster): Promise<string | undefined> {
    const statuses = await Promise.all(
      cluster.nodes.map(async (n) => {
        if (this.isPaused(n)) return undefined;
        return (await probeJson(`${this.clientEndpoint(n)}/status`, 500))?.body as NodeStatus | undefined;
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

  /** The node's /status, asked with a short timeout: callers poll it every few milliseconds. */
  async raftStatus(node: StartedNode): Promise<RaftNodeStatus | undefined> {
    if (this.isPaused(node)) return undefined;
    const s = (await probeJson(`${this.clientEndpoint(node)}/status`, 300))?.body as NodeStatus | undefined;
    if (s === undefined || typeof s.term !== 'number') return undefined;
    return { term: s.term, role: s.role, commit: s.commit, lastIndex: s.lastIndex };
  }

  /** The daemon running on a node, if any (for tests and the nemesis summary). */
  daemon(node: string): Daemon | undefined {
    return this.daemons.get(node);
  }
}
