/**
 * One node of a Docker cluster: a container idling under an init, with daemons started in it by
 * `docker exec`. Daemon logs are written straight into `<logDir>/<node>/` on the host (a bind
 * mount); the node's data folder is copied there by collectLogs.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { CLOCK_FILE, fakeTimeEnv, writeOffsetFile } from '../faketime.js';
import { RUN_ENV } from '../run-tag.js';
import type { Daemon, DaemonSpec, ExecResult, StartedNode } from '../runtime.js';
import { TrackedDaemon, namespacePid, type DaemonSignal } from '../tracked-daemon.js';
import { containerProcess, execDaemon, execEntered, execOnce, type ContainerProcess } from './docker-exec.js';

/** Where a node's clock folder is mounted inside its container. */
export const CONTAINER_CLOCK_DIR = '/run/splitbrain-clock';

/** Where a node's host log folder (`<logDir>/<node>/`) is mounted inside its container. */
export const CONTAINER_LOG_DIR = '/var/log/splitbrain';

/** The data folder inside every container. */
export const CONTAINER_DATA_DIR = '/var/lib/splitbrain/data';

/**
 * Marks a DockerNode. A user's adapter module is loaded by tsx in its own module namespace, so
 * its copy of this class is not the runtime's and `instanceof` fails; a registered symbol is the
 * same in both.
 */
const DOCKER_NODE = Symbol.for('splitbrain.docker-node');

/** True when `node` is a Docker container node (whichever copy of this module made it). */
export function isDockerNode(node: StartedNode): node is DockerNode {
  return (node as Partial<Record<typeof DOCKER_NODE, boolean>>)[DOCKER_NODE] === true;
}

/** A started container acting as one node. */
export class DockerNode implements StartedNode {
  readonly [DOCKER_NODE] = true;
  readonly dataDir = CONTAINER_DATA_DIR;
  private readonly spawned: TrackedDaemon[] = [];
  /** The container's init, looked up on the first exec; undefined when commands must go through the engine. */
  private entered: Promise<ContainerProcess | undefined> | undefined;

  constructor(
    readonly docker: Docker,
    readonly container: Docker.Container,
    readonly name: string,
    readonly address: string,
    readonly runId: string,
    /** Host folder for this node's logs and copied data. */
    readonly hostLogDir: string,
    /** Host folder mounted at CONTAINER_CLOCK_DIR. */
    readonly hostClockDir: string,
  ) {}

  /** Runs a command in the container: through nsenter from the host where it can (fast), else docker exec. */
  async exec(command: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    this.entered ??= containerProcess(this.container).catch(() => undefined);
    const target = await this.entered;
    return target !== undefined
      ? execEntered(target, command, opts)
      : execOnce(this.docker, this.container, command, opts);
  }

  async spawn(spec: DaemonSpec): Promise<Daemon> {
    await mkdir(this.hostLogDir, { recursive: true });
    const env = {
      [RUN_ENV]: this.runId,
      ...spec.env,
      ...(spec.fakeTime ? fakeTimeEnv(`${CONTAINER_CLOCK_DIR}/${CLOCK_FILE}`) : {}),
    };
    // The daemon writes its log into the host folder mounted at CONTAINER_LOG_DIR itself, so
    // logging does not depend on this process (`cluster up` exits and leaves daemons running).
    // `exec` keeps the pid: the one we signal is the daemon's own.
    const logFile = `${CONTAINER_LOG_DIR}/${spec.name}.log`;
    const command = ['sh', '-c', 'exec "$@" >>"$0" 2>&1', logFile, ...spec.command];
    const started = await execDaemon(this.docker, this.container, command, { env, cwd: spec.cwd });
    const pid = namespacePid(started.hostPid);
    const viaExec = async (sig: DaemonSignal): Promise<void> => {
      const r = await this.exec(['kill', '-s', sig.replace(/^SIG/, ''), String(pid)]);
      if (r.exitCode !== 0) throw new Error(`kill -s ${sig} ${pid} in ${this.name} failed: ${r.stderr}`);
    };
    const daemon = new TrackedDaemon(spec.name, pid, started.hostPid, started.done, viaExec);
    this.spawned.unshift(daemon);
    return daemon;
  }

  daemons(): readonly Daemon[] {
    return this.spawned;
  }

  /**
   * Counts a process started another way (a user's container sharing this node's network) as
   * this node's daemon, so liveness, kill and pause find it as they find a spawned one.
   */
  adopt(daemon: TrackedDaemon): void {
    this.spawned.unshift(daemon);
  }

  async setClockOffset(offsetMs: number): Promise<void> {
    await writeOffsetFile(path.join(this.hostClockDir, CLOCK_FILE), offsetMs);
  }

  async collectLogs(): Promise<void> {
    await copyDataDir(this.container, this.hostLogDir);
  }

  /** Waits for every daemon's log stream to be closed (they end when the container goes). */
  async settle(): Promise<void> {
    await Promise.all(this.spawned.map((d) => d.exited()));
  }
}

/** Copies a container's data folder into `<hostDir>/data/`; nothing when it is missing or gone. */
export async function copyDataDir(container: Docker.Container, hostDir: string): Promise<void> {
  await mkdir(hostDir, { recursive: true });
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path: CONTAINER_DATA_DIR });
  } catch {
    return; // no data folder (nothing ran) or the container is gone
  }
  const tar = execa('tar', ['-x', '-C', hostDir], { stdin: 'pipe', reject: false });
  archive.pipe(tar.stdin);
  await tar;
}
