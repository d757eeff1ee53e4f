/**
 * Debian's ZooKeeper 3.8 as a DB, written with splitbrain's public API: one QuorumPeerMain JVM
 * per node, configured by a zoo.cfg the node's shell writes before it execs java (so the same
 * command works on any runtime that has java and Debian's jars). Timeouts are short (tick
 * 500 ms, followers dropped after 2 s) so a partition or pause reshapes the ensemble within one
 * nemesis interval. It can be killed and restarted from its data directory, paused, and asked
 * for its leader through `srvr`. The JVM reads the clock through the vDSO, which libfaketime does
 * not reliably move, so the clock nemesis is skipped with that reason.
 */
import path from 'node:path';
import {
  DaemonDb,
  hostPort,
  type ClockAware,
  type DbOptions,
  type LeaderAware,
  type StartedCluster,
  type StartedNode,
} from '../../index.js';
import { fourLetterWord, modeOf } from './four-letter.js';

/** ZooKeeper's client port. */
export const ZK_CLIENT_PORT = 2181;
/** The quorum (follower to leader) port; the election port is 3888. */
export const ZK_QUORUM_PORT = 2888;
const ZK_ELECTION_PORT = 3888;
/** Debian's jars: ZooKeeper (its manifest names the rest) and a console logger for slf4j. */
export const ZK_CLASSPATH = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-simple.jar'];

/** The ZooKeeper DB. */
export class ZooKeeperDb extends DaemonDb implements LeaderAware, ClockAware {
  readonly clockSkewEffective = false;
  /** A line ZooKeeper logs only when its data is damaged. */
  readonly fatalLogPattern = /Unable to load database on disk|Snapshot digest mismatch|CRC check failed/;

  constructor() {
    super({
      name: 'zookeeper',
      clientPort: ZK_CLIENT_PORT,
      peerPort: ZK_QUORUM_PORT,
      serveTimeoutMs: 90_000,
      notServing: 'zookeeper did not form an ensemble with one leader that every node follows',
    });
  }

  protected override configure(options: DbOptions): void {
    if (options.bugs?.length) throw new Error('zookeeper has no injectable bugs');
  }

  /** `host:port` a ZooKeeper client connects to on `node`. */
  override clientEndpoint(node: StartedNode): string {
    return `zk://${hostPort(node.address, this.clientPort(node))}`;
  }

  protected override command(node: StartedNode, cluster: StartedCluster): string[] {
    if (new Set(cluster.nodes.map((n) => n.address)).size < cluster.nodes.length)
      throw new Error('zookeeper needs a network address per node (namespaces or containers), not shared loopback');
    const dir = path.posix.join(node.dataDir, 'zookeeper');
    const myid = cluster.nodes.findIndex((n) => n.name === node.name) + 1;
    const config = [
      'tickTime=500',
      'initLimit=20',
      'syncLimit=4',
      `dataDir=${dir}`,
      `clientPort=${ZK_CLIENT_PORT}`,
      `clientPortAddress=${node.address}`,
      'maxClientCnxns=0',
      'admin.enableServer=false',
      '4lw.commands.whitelist=srvr',
      'preAllocSize=4096',
      ...cluster.nodes.map((n, i) => `server.${i + 1}=${n.address}:${ZK_QUORUM_PORT}:${ZK_ELECTION_PORT}`),
    ].join('\n');
    const java = [
      'java',
      '-Xmx192m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      // Timestamped log lines, so a node's log can be laid beside the history.
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
      '-cp',
      ZK_CLASSPATH.join(':'),
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      `${dir}/zoo.cfg`,
    ];
    // The shell writes the config and myid (the same on every restart), then becomes the JVM.
    const script = `mkdir -p '${dir}' && printf '%s\\n' '${config.replace(/\n/g, "' '")}' > '${dir}/zoo.cfg' && echo ${myid} > '${dir}/myid' && exec ${java.join(' ')}`;
    return ['sh', '-c', script];
  }

  /** True once every node answers `srvr` and exactly one of them leads. */
  protected override async isServing(cluster: StartedCluster): Promise<boolean> {
    const modes = await Promise.all(cluster.nodes.map((n) => this.mode(n)));
    return modes.every((m) => m === 'leader' || m === 'follower') && modes.filter((m) => m === 'leader').length === 1;
  }

  async leader(cluster: StartedCluster): Promise<string | undefined> {
    const modes = await Promise.all(
      cluster.nodes.map(async (n) => ({ node: n.name, mode: this.isPaused(n) ? undefined : await this.mode(n) })),
    );
    return modes.find((m) => m.mode === 'leader')?.node;
  }

  private async mode(node: StartedNode): Promise<string | undefined> {
    return modeOf(await fourLetterWord(node.address, this.clientPort(node), 'srvr', 1000));
  }
}
