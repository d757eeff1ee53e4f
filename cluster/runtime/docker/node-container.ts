/**
 * A user's own image as the process of a node: the container a testcontainers GenericContainer
 * describes (image, command, env, copied files, wait strategy) is started by testcontainers in the
 * network stack of the node's container (`NetworkMode: container:<node>`). It so gets the node's
 * address and name on the run's internal network, and the node's container, from splitbrain's
 * image, is the helper that holds iptables: the nemesis's rules, run there, act on the user's
 * traffic though the user's image has no iptables (Pumba's helper joins the target's namespace;
 * here the target joins the helper's, so the namespace, its address and any partition in force
 * survive a kill and restart of the user's container). Kill and pause go through Docker.
 *
 * testcontainers 12.0.1's start path pulls only a missing image and starts Ryuk only with auto
 * cleanup on: the image is checked locally first (splitbrain never pulls) and auto cleanup is off
 * (TESTCONTAINERS_RYUK_DISABLED is set too), as cleanup is splitbrain's, by the run label.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { GenericContainer, type StartedTestContainer, type WaitStrategy } from 'testcontainers';
import { CLOCK_FILE, fakeTimeEnv, LIBFAKETIME } from '../faketime.js';
import { NAME_PREFIX, RUN_ENV, RUN_LABEL, runTag } from '../run-tag.js';
import type { Daemon, ExecResult, StartedNode } from '../runtime.js';
import { TrackedDaemon, type DaemonSignal } from '../tracked-daemon.js';
import { execOnce } from './docker-exec.js';
import { CONTAINER_CLOCK_DIR, isDockerNode, type DockerNode } from './docker-node.js';
import { demuxLogs } from './docker-logs.js';

/** Where the host's libfaketime is mounted in a user's container. */
export const CONTAINER_FAKETIME_LIB = '/run/splitbrain-faketime/libfaketime.so.1';

/** The label naming the node whose network a user's container joined. */
export const JOINS_LABEL = 'splitbrain.joins';

/** How a user's container is started in a node. */
export interface NodeContainerOptions {
  /** Names the process: its daemon name, its log file (`<name>.log`) and the container's name. */
  name: string;
  /** Preload the host's libfaketime and mount the node's clock file, so clock offsets reach it. */
  fakeTime: boolean;
}

/** A description splitbrain cannot run, or an image it cannot start: one line, said as is. */
export class NodeContainerError extends Error {}

/**
 * Reads and adjusts what a GenericContainer holds: testcontainers keeps it in protected fields,
 * which a subclass may reach on any instance of the class.
 */
class Description extends GenericContainer {
  static image(c: GenericContainer): string {
    return (c as Description).imageName.string;
  }

  /** What in the description cannot work on splitbrain's network, or an empty list. */
  static problems(c: GenericContainer): string[] {
    const d = c as Description;
    const out: string[] = [];
    if (d.exposedPorts.length > 0)
      out.push(
        "withExposedPorts: nothing is published from splitbrain's internal network; clients reach the node at its address",
      );
    if (d.networkMode !== undefined || d.networkAliases.length > 0)
      out.push('withNetwork/withNetworkMode/withNetworkAliases: splitbrain places the container on its own network');
    if (d.reuse) out.push('withReuse: every run starts fresh containers');
    const portWait = portBasedWait(d.waitStrategy);
    if (portWait !== undefined)
      out.push(
        `${portWait}: it reaches the container through a published port, which nodes on splitbrain's internal network have none of; wait with Wait.forLogMessage, Wait.forHealthCheck or Wait.forSuccessfulCommand`,
      );
    return out;
  }

  /** Appends bind mounts (withBindMounts would replace the user's). */
  static addBinds(c: GenericContainer, binds: readonly string[]): void {
    const d = c as Description;
    d.hostConfig.Binds = [...(d.hostConfig.Binds ?? []), ...binds];
  }
}

/** Names a wait strategy that needs a published port (also inside a composite one). */
function portBasedWait(strategy: WaitStrategy | undefined): string | undefined {
  if (strategy === undefined) return undefined;
  const kind = strategy.constructor.name;
  if (kind === 'HttpWaitStrategy') return 'Wait.forHttp';
  const inner = (strategy as { waitStrategies?: WaitStrategy[] }).waitStrategies;
  for (const s of inner ?? []) {
    const found = portBasedWait(s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What in a description cannot work on splitbrain's network (one sentence each), or an empty list. */
export function descriptionProblems(description: GenericContainer): string[] {
  return Description.problems(description);
}

/** The image a GenericContainer describes. */
export function describedImage(description: GenericContainer): string {
  return Description.image(description);
}

/**
 * Starts the described container as `node`'s process and waits for its wait strategy. Throws
 * NodeContainerError for a description that cannot run here or an image that is not present,
 * and the wait strategy's error when the container never becomes ready (testcontainers then
 * removes it; anything left is removed by the run's label at teardown).
 */
export async function startNodeContainer(
  node: StartedNode,
  description: GenericContainer,
  opts: NodeContainerOptions,
): Promise<StartedNodeContainer> {
  if (!isDockerNode(node))
    throw new NodeContainerError(
      `node ${node.name} is not a Docker container; a GenericContainer needs --runtime docker`,
    );
  const image = Description.image(description);
  const problems = descriptionProblems(description);
  if (problems.length > 0)
    throw new NodeContainerError(`the container of ${node.name} cannot run as described: ${problems.join('; ')}`);
  try {
    await node.docker.getImage(image).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    throw new NodeContainerError(
      `image '${image}' is not present on this Docker engine and splitbrain does not pull images; build or load it first`,
    );
  }
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  description
    .withNetworkMode(`container:${node.container.id}`)
    .withName(`${NAME_PREFIX}${runTag(node.runId)}-${node.name}-${opts.name}`)
    .withLabels({ [RUN_LABEL]: node.runId, [JOINS_LABEL]: node.name })
    .withEnvironment({ [RUN_ENV]: node.runId })
    .withAutoCleanup(false);
  if (opts.fakeTime) {
    Description.addBinds(description, [
      `${LIBFAKETIME}:${CONTAINER_FAKETIME_LIB}:ro`,
      `${node.hostClockDir}:${CONTAINER_CLOCK_DIR}:ro`,
    ]);
    description.withEnvironment(fakeTimeEnv(`${CONTAINER_CLOCK_DIR}/${CLOCK_FILE}`, CONTAINER_FAKETIME_LIB));
  }
  const started = await description.start();
  const handle = new StartedNodeContainer(node, opts.name, node.docker.getContainer(started.getId()), started);
  await handle.watch();
  return handle;
}

/** A user's container running as a node's process. */
export class StartedNodeContainer {
  private current: ContainerProcess | undefined;

  constructor(
    readonly node: DockerNode,
    readonly name: string,
    readonly container: Docker.Container,
    /** testcontainers' handle, for its exec, logs and copy helpers. */
    readonly started: StartedTestContainer,
  ) {}

  /** The container's main process as a daemon (latest start), for liveness, kill and pause. */
  get daemon(): Daemon | undefined {
    return this.current;
  }

  /** SIGKILLs the container's main process (`docker kill`) and waits until it has exited. */
  async kill(): Promise<void> {
    await this.current?.signal('SIGKILL');
  }

  /** Starts the killed container again (`docker start`): same namespace, address and data. */
  async start(): Promise<void> {
    if (this.current?.isRunning()) return;
    await this.container.start();
    await this.watch();
  }

  /** Freezes the whole container (`docker pause`). */
  async pause(): Promise<void> {
    await this.current?.signal('SIGSTOP');
  }

  /** Thaws it (`docker unpause`). */
  async resume(): Promise<void> {
    await this.current?.signal('SIGCONT');
  }

  /** Runs a command in the user's container (its own tools: the image may have no shell). */
  exec(command: string[], opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    return execOnce(this.node.docker, this.container, command, opts);
  }

  /** Writes the container's output so far to `<node log dir>/<name>.log`. */
  async collectLogs(): Promise<void> {
    const raw = (await this.container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    await writeFile(path.join(this.node.hostLogDir, `${this.name}.log`), demuxLogs(raw));
  }

  /** Removes the container (and its anonymous volumes); nothing when it is already gone. */
  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }

  /** Follows the running container's main process until it exits, and counts it as the node's daemon. */
  async watch(): Promise<void> {
    const info = await this.container.inspect();
    const exit = (this.container.wait({ condition: 'not-running' }) as Promise<{ StatusCode: number }>).then(
      (r) => r.StatusCode,
    );
    this.current = new ContainerProcess(this.name, info.State.Pid, exit, this.container);
    this.node.adopt(this.current);
  }
}

/** A container's main process, signalled through Docker: kill, and pause/unpause for stop/continue. */
class ContainerProcess extends TrackedDaemon {
  constructor(
    name: string,
    hostPid: number,
    exit: Promise<number>,
    private readonly container: Docker.Container,
  ) {
    super(name, hostPid, hostPid, exit);
  }

  protected override async deliver(sig: DaemonSignal): Promise<boolean> {
    try {
      if (sig === 'SIGSTOP') await this.container.pause();
      else if (sig === 'SIGCONT') await this.container.unpause();
      else {
        // Docker refuses to kill a paused container.
        if (this.isPaused()) await this.container.unpause().catch(() => undefined);
        await this.container.kill({ signal: sig });
      }
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 409) return false; // gone, or not running
      throw err;
    }
    return true;
  }
}
