/**
 * etcd (Debian's /usr/bin/etcd, 3.4) as a DB: one member per node, a static initial cluster, the
 * v3 JSON gateway on the client port for the client. etcd is a Go binary: it reads the time
 * through the Go runtime, not libc, so libfaketime does not move its clock (clockSkewEffective
 * false), and the run says so instead of pretending the clock nemesis bit.
 */
import path from 'node:path';
import type { ClockAware, Db, DbOptions, Killable, LeaderAware, Pausable } from '../db.js';
import type { Daemon, StartedCluster, StartedNode } from '../runtime/runtime.js';
import { probeJson, waitFor } from './http-probe.js';
import { hostPort, nodePort } from './ports.js';
import { withTimeout } from './raftkv.js';

/** Where Debian installs etcd. */
export const ETCD_BINARY = '/usr/bin/etcd';
/** etcd's client port (the v3 JSON gateway). */
export const ETCD_CLIENT_PORT = 2379;
/** etcd's peer (Raft) port. */
export const ETCD_PEER_PORT = 2380;
const SERVE_TIMEOUT_MS = 60_000;

interface EtcdStatus {
  header?: { member_id?: string };
  leader?: string;
}

/** The etcd DB. */
export class EtcdDb implements Db, Killable, Pausable, LeaderAware, ClockAware {
  readonly name = 'etcd';
  readonly clockSkewEffective = false;
  private readonly daemons = new Map<string, Daemon>();
  private cluster: StartedCluster | undefined;

  constructor(private readonly binary: string = ETCD_BINARY) {}

  async setup(cluster: StartedCluster, opts: DbOptions): Promise<void> {
    if (opts.bugs && opts.bugs.length > 0) throw new Error(`--bug is for raftkv only; etcd has no injectable bugs`);
    this.cluster = cluster;
    await Promise.all(cluster.nodes.map((n) => this.start(n)));
    await waitFor('etcd did not become healthy with a leader', SERVE_TIMEOUT_MS, async () => {
      const health = await Promise.all(cluster.nodes.map((n) => probeJson(`${this.clientEndpoint(n)}/health`, 1000)));
      if (!health.every((h) => h?.status === 200 && (h.body as { health?: string }).health === 'true'))
        return undefined;
      return (await this.leader(cluster)) !== undefined ? true : undefined;
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
    return `http://${hostPort(node.address, nodePort(this.requireCluster(), node, ETCD_CLIENT_PORT))}`;
  }

  async start(node: StartedNode): Promise<void> {
    const cluster = this.requireCluster();
    if (this.daemons.get(node.name)?.isRunning()) return;
    const peerUrl = (n: StartedNode) => `http://${hostPort(n.address, nodePort(cluster, n, ETCD_PEER_PORT))}`;
    const command = [
      this.binary,
      '--name',
      node.name,
      '--data-dir',
      path.posix.join(node.dataDir, 'etcd'),
      '--listen-client-urls',
      this.clientEndpoint(node),
      '--advertise-client-urls',
      this.clientEndpoint(node),
      '--listen-peer-urls',
      peerUrl(node),
      '--initial-advertise-peer-urls',
      peerUrl(node),
      '--initial-cluster',
      cluster.nodes.map((n) => `${n.name}=${peerUrl(n)}`).join(','),
      '--initial-cluster-state',
      'new',
      '--initial-cluster-token',
      `splitbrain-${cluster.runId}`,
      '--heartbeat-interval',
      '100',
      '--election-timeout',
      '1000',
      '--logger',
      'zap',
    ];
    this.daemons.set(node.name, await node.spawn({ name: 'etcd', command }));
  }

  async kill(node: StartedNode): Promise<void> {
    const d = this.daemons.get(node.name);
    if (!d?.isRunning()) return;
    await d.signal('SIGKILL');
    await withTimeout(d.exited(), 10_000);
  }

  async pause(node: StartedNode): Promise<void> {
    const d = this.daemons.get(node.name);
    if (d?.isRunning() && !d.isPaused()) await d.signal('SIGSTOP');
  }

  async resume(node: StartedNode): Promise<void> {
    const d = this.daemons.get(node.name);
    if (d?.isRunning() && d.isPaused()) await d.signal('SIGCONT');
  }

  /** Asks each member for its status and maps the leader's member id to a node name. */
  async leader(cluster: StartedCluster): Promise<string | undefined> {
    const statuses = await Promise.all(
      cluster.nodes.map(async (n) => {
        if (this.daemons.get(n.name)?.isPaused()) return undefined;
        const r = await probeJson(`${this.clientEndpoint(n)}/v3/maintenance/status`, 1000, {});
        return r?.status === 200 ? { node: n.name, status: r.body as EtcdStatus } : undefined;
      }),
    );
    const idToNode = new Map<string, string>();
    for (const s of statuses) if (s?.status.header?.member_id) idToNode.set(s.status.header.member_id, s.node);
    for (const s of statuses) {
      const lead = s?.status.leader;
      if (lead && idToNode.has(lead)) return idToNode.get(lead);
    }
    return undefined;
  }

  private requireCluster(): StartedCluster {
    if (!this.cluster) throw new Error('etcd: setup has not run');
    return this.cluster;
  }
}
