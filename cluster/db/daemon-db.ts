/**
 * The lifecycle every DB splitbrain runs shares: one daemon per node spawned through the
 * runtime, SIGKILL and a restart from the data directory, SIGSTOP/SIGCONT, a setup that waits
 * until the cluster serves, and a teardown that stops everything and copies the logs out. A
 * concrete DB is a short subclass, as a testcontainers module is a short container class: its
 * ports, its command line and its readiness check.
 */
import type { Db, DbOptions, Killable, Pausable } from './db.js';
import type { Daemon, StartedCluster, StartedNode } from '../runtime/index.js';
import { hasLinkControl } from '../runtime/index.js';
import { waitFor } from './http-probe.js';
import { hostPort, nodePort } from './ports.js';

/** What a DB built on DaemonDb says about itself. */
export interface DaemonDbConfig {
  /** The DB's name, also the name its daemon is spawned under in each node. */
  name: string;
  /** The client port (the one `clientEndpoint` names) and the peer port, before `nodePort` spreads them. */
  clientPort: number;
  peerPort: number;
  /** Spawn the daemon under libfaketime, so the clock nemesis moves its wall clock. */
  fakeTime?: boolean;
  /** How long setup waits for `isServing`, and what it says when that time runs out. */
  serveTimeoutMs: number;
  notServing: string;
}

/** A DB that runs one daemon per node; subclasses give the command line and the readiness check. */
export abstract class DaemonDb implements Db, Killable, Pausable {
  readonly name: string;
  /** node name -> the daemon last spawned there. */
  protected readonly daemons = new Map<string, Daemon>();
  private cluster: StartedCluster | undefined;
  /** node name -> HOST:PORT peers dial to reach it, when links run through the runtime's proxy. */
  private readonly peerRoutes = new Map<string, string>();

  constructor(private readonly config: DaemonDbConfig) {
    this.name = config.name;
  }

  /** Checks the setup options before anything starts, and keeps what the command line needs. */
  protected abstract configure(opts: DbOptions): void;
  /** The command line that starts the daemon in `node`. */
  protected abstract command(node: StartedNode, cluster: StartedCluster): string[];
  /** True once every node serves and the cluster has a leader; setup polls it. */
  protected abstract isServing(cluster: StartedCluster): Promise<boolean>;

  async setup(cluster: StartedCluster, opts: DbOptions): Promise<void> {
    this.configure(opts);
    this.cluster = cluster;
    if (hasLinkControl(cluster)) {
      for (const n of cluster.nodes) {
        const route = await cluster.links.peerRoute(n.name, nodePort(cluster, n, this.config.peerPort));
        this.peerRoutes.set(n.name, hostPort(route.host, route.port));
      }
    }
    await Promise.all(cluster.nodes.map((n) => this.start(n)));
    const { notServing, serveTimeoutMs } = this.config;
    await waitFor(notServing, serveTimeoutMs, async () => ((await this.isServing(cluster)) ? true : undefined));
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

  async start(node: StartedNode): Promise<void> {
    const cluster = this.requireCluster();
    if (this.daemons.get(node.name)?.isRunning()) return;
    const command = this.command(node, cluster);
    const spec = { name: this.name, command, ...(this.config.fakeTime ? { fakeTime: true } : {}) };
    this.daemons.set(node.name, await node.spawn(spec));
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

  /** The client port of `node` (distinct per node when nodes share an address). */
  protected clientPort(node: StartedNode): number {
    return nodePort(this.requireCluster(), node, this.config.clientPort);
  }

  /** HOST:PORT other nodes dial to reach `node`'s peer (Raft) listener: the link proxy in front of it, if any. */
  protected peerHostPort(node: StartedNode): string {
    return this.peerRoutes.get(node.name) ?? this.peerListenHostPort(node);
  }

  /** HOST:PORT `node`'s peer (Raft) listener binds. */
  protected peerListenHostPort(node: StartedNode): string {
    return hostPort(node.address, nodePort(this.requireCluster(), node, this.config.peerPort));
  }

  /** True while `node`'s daemon is stopped by SIGSTOP; a paused node cannot answer a status probe. */
  protected isPaused(node: StartedNode): boolean {
    return this.daemons.get(node.name)?.isPaused() ?? false;
  }

  protected requireCluster(): StartedCluster {
    if (!this.cluster) throw new Error(`${this.name}: setup has not run`);
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
