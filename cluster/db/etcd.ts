/**
 * etcd (Debian's /usr/bin/etcd, 3.4) as a DB: one member per node, a static initial cluster, the
 * v3 JSON gateway on the client port for the client. etcd is a Go binary: it reads the time
 * through the Go runtime, not libc, so libfaketime does not move its clock (clockSkewEffective
 * false), and the run says so instead of pretending the clock nemesis bit.
 */
import path from 'node:path';
import type { ClockAware, DbOptions, LeaderAware } from './db.js';
import type { StartedCluster, StartedNode } from '../runtime/index.js';
import { DaemonDb } from './daemon-db.js';
import { probeJson } from './http-probe.js';

/** Where Debian installs etcd. */
export const ETCD_BINARY = '/usr/bin/etcd';
/** etcd's client port (the v3 JSON gateway). */
export const ETCD_CLIENT_PORT = 2379;
/** etcd's peer (Raft) port. */
export const ETCD_PEER_PORT = 2380;

interface EtcdStatus {
  header?: { member_id?: string };
  leader?: string;
  raftTerm?: string;
}

/** The etcd DB. */
export class EtcdDb extends DaemonDb implements LeaderAware, ClockAware {
  /**
   * Lines etcd writes only when it dies: its zap logger's fatal and panic levels, and the Go
   * runtime's own `panic:` and `fatal error:` lines on stderr (a crash outside the logger).
   */
  readonly fatalLogPattern = /"level":"(fatal|panic|dpanic)"|^panic: |^fatal error: /;
  readonly clockSkewEffective = false;
  private readonly memberNames = new Map<string, string>();

  constructor(private readonly binary: string = ETCD_BINARY) {
    super({
      name: 'etcd',
      clientPort: ETCD_CLIENT_PORT,
      peerPort: ETCD_PEER_PORT,
      serveTimeoutMs: 60_000,
      notServing: 'etcd did not become healthy with a leader',
    });
  }

  protected override configure(opts: DbOptions): void {
    if (opts.bugs && opts.bugs.length > 0) throw new Error(`--bug is for raftkv only; etcd has no injectable bugs`);
  }

  protected override async isServing(cluster: StartedCluster): Promise<boolean> {
    const health = await Promise.all(cluster.nodes.map((n) => probeJson(`${this.clientEndpoint(n)}/health`, 1000)));
    if (!health.every((h) => h?.status === 200 && (h.body as { health?: string }).health === 'true')) return false;
    return (await this.leader(cluster)) !== undefined;
  }

  protected override command(node: StartedNode, cluster: StartedCluster): string[] {
    const peerUrl = (n: StartedNode) => `http://${this.peerHostPort(n)}`;
    return [
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
      `http://${this.peerListenHostPort(node)}`,
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
  }

  /**
   * Asks each member for its status. A member that leads names itself; of two that do (a leader
   * cut off from the others has not yet stepped down when they elect another), the later term
   * leads. With no such answer (the leader is paused, or does not answer in time), the member most
   * others name. Member ids are remembered by name across calls, so a leader that cannot be asked
   * can still be named.
   */
  async leader(cluster: StartedCluster): Promise<string | undefined> {
    const statuses = await Promise.all(
      cluster.nodes.map(async (n) => {
        if (this.isPaused(n)) return undefined;
        const r = await probeJson(`${this.clientEndpoint(n)}/v3/maintenance/status`, 1000, {});
        return r?.status === 200 ? { node: n.name, status: r.body as EtcdStatus } : undefined;
      }),
    );
    const answered = statuses.filter((s) => s !== undefined);
    for (const s of answered) if (s.status.header?.member_id) this.memberNames.set(s.status.header.member_id, s.node);
    const selfLed = answered
      .filter((s) => s.status.leader !== undefined && s.status.leader === s.status.header?.member_id)
      .sort((a, b) => Number(b.status.raftTerm ?? 0) - Number(a.status.raftTerm ?? 0));
    if (selfLed.length > 0) return selfLed[0]!.node;
    const votes = new Map<string, number>();
    for (const s of answered) if (s.status.leader) votes.set(s.status.leader, (votes.get(s.status.leader) ?? 0) + 1);
    const [best] = [...votes].filter(([id]) => this.memberNames.has(id)).sort((a, b) => b[1] - a[1]);
    return best && this.memberNames.get(best[0]);
  }
}
