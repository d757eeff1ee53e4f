/**
 * A DB whose nodes run an image the user already has, described as testcontainers describes a
 * container: `new GenericContainer(image).withCommand(...).withEnvironment(...)
 * .withCopyFilesToContainer(...).withWaitStrategy(...)`, one per node. On the docker runtime each
 * runs in its node's network stack (cluster/runtime/docker/node-container.ts): it has the node's
 * address, partitions and packet loss come from the node's helper container, kill is `docker
 * kill` + `docker start`, pause is `docker pause`, and clock skew preloads the host's libfaketime
 * when the image's libc allows it (otherwise the clock fault is skipped, with the reason).
 */
import type { GenericContainer } from 'testcontainers';
import {
  describedImage,
  faketimeProblem,
  NodeContainerError,
  startNodeContainer,
  type Daemon,
  type StartedCluster,
  type StartedNode,
  type StartedNodeContainer,
} from '../runtime/index.js';
import type { ClockAware, Db, Killable, Pausable } from './db.js';
import { waitFor } from './http-probe.js';

/** What a DB built on ContainerDb says about itself. */
export interface ContainerDbConfig {
  /** The DB's name: messages, the store folder, each node's `<name>.log` and container name. */
  name: string;
  /**
   * The container of one node. Called once per node at setup, when every node's address is
   * known (`cluster.nodes`); peers are also reachable by node name (`n2`). Do not set ports to
   * expose or a network: splitbrain places the container, and clients reach `node.address`.
   */
  container(node: StartedNode, cluster: StartedCluster): GenericContainer;
  /** The endpoint a client gets for a node, e.g. `http://${node.address}:8000`. */
  clientEndpoint(node: StartedNode): string;
  /**
   * True once the whole cluster serves (say, a leader is elected), polled after every container
   * passed its own wait strategy. Absent: the wait strategies are enough.
   */
  isServing?(cluster: StartedCluster): Promise<boolean>;
  /** How long setup polls `isServing` (default 60 s). */
  serveTimeoutMs?: number;
  /** False when the system does not read its wall clock through libc (a Go binary); default true. */
  clockSkewEffective?: boolean;
}

/** A DB that runs one user-described container per node; kill, pause and clock come with it. */
export class ContainerDb implements Db, Killable, Pausable, ClockAware {
  readonly name: string;
  readonly clockSkewEffective: boolean;
  private readonly started = new Map<string, StartedNodeContainer>();
  /** image -> why libfaketime cannot be preloaded in it (undefined: it can). */
  private readonly clockProbes = new Map<string, Promise<string | undefined>>();

  constructor(private readonly config: ContainerDbConfig) {
    this.name = config.name;
    this.clockSkewEffective = config.clockSkewEffective ?? true;
  }

  /**
   * Why clock offsets cannot reach this DB's processes on `cluster`, or undefined: asked before
   * the run, so the clock fault is skipped (or refused) with the reason.
   */
  async clockSkewProblem(cluster: StartedCluster): Promise<string | undefined> {
    const first = cluster.nodes[0];
    if (first === undefined || cluster.runtime !== 'docker') return undefined;
    return this.probeClock(cluster, describedImage(this.config.container(first, cluster)));
  }

  async setup(cluster: StartedCluster): Promise<void> {
    if (cluster.runtime !== 'docker')
      throw new Error(
        `${this.name} runs a Docker image (a GenericContainer), so it needs --runtime docker (this run uses ${cluster.runtime})`,
      );
    // Settle every start before failing: a start still in flight could otherwise create its
    // container after teardown has looked for the run's containers.
    const starts = await Promise.allSettled(
      cluster.nodes.map(async (node) => {
        const description = this.config.container(node, cluster);
        const clockProblem = await this.probeClock(cluster, describedImage(description));
        try {
          const handle = await startNodeContainer(node, description, {
            name: this.name,
            fakeTime: this.clockSkewEffective && clockProblem === undefined,
          });
          this.started.set(node.name, handle);
        } catch (e) {
          if (e instanceof NodeContainerError) throw new Error(`node ${node.name}: ${e.message}`);
          const image = describedImage(description);
          throw new Error(`node ${node.name}: its container (${image}) did not become ready: ${firstLine(e)}`);
        }
      }),
    );
    const failed = starts.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const { isServing } = this.config;
    if (isServing !== undefined) {
      const ms = this.config.serveTimeoutMs ?? 60_000;
      await waitFor(`${this.name}: the cluster did not serve`, ms, async () =>
        (await isServing(cluster)) ? true : undefined,
      );
    }
  }

  async teardown(): Promise<void> {
    const handles = [...this.started.values()];
    this.started.clear();
    await Promise.all(
      handles.map(async (h) => {
        await h.collectLogs().catch(() => undefined);
        await h.remove();
      }),
    );
  }

  clientEndpoint(node: StartedNode): string {
    return this.config.clientEndpoint(node);
  }

  /** The container a node runs, for an adapter that execs in it or reads its logs. */
  container(node: StartedNode): StartedNodeContainer {
    const h = this.started.get(node.name);
    if (h === undefined) throw new Error(`${this.name}: no container started on ${node.name}`);
    return h;
  }

  /** The node's container process, for the nemesis's checks that a kill or pause landed. */
  daemon(nodeName: string): Daemon | undefined {
    return this.started.get(nodeName)?.daemon;
  }

  async kill(node: StartedNode): Promise<void> {
    await this.started.get(node.name)?.kill();
  }

  async start(node: StartedNode): Promise<void> {
    await this.started.get(node.name)?.start();
  }

  async pause(node: StartedNode): Promise<void> {
    const d = this.daemon(node.name);
    if (d?.isRunning() && !d.isPaused()) await this.started.get(node.name)?.pause();
  }

  async resume(node: StartedNode): Promise<void> {
    const d = this.daemon(node.name);
    if (d?.isRunning() && d.isPaused()) await this.started.get(node.name)?.resume();
  }

  private probeClock(cluster: StartedCluster, image: string): Promise<string | undefined> {
    let probe = this.clockProbes.get(image);
    const node = cluster.nodes[0];
    if (probe === undefined && node !== undefined) {
      probe = faketimeProblem(node, image).catch(
        (e: unknown) => `image ${image} could not be probed for libfaketime: ${firstLine(e)}`,
      );
      this.clockProbes.set(image, probe);
    }
    return probe ?? Promise.resolve(undefined);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
