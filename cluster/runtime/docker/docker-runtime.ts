/**
 * The Docker runtime: one container per node on an internal bridge network made for the run
 * (fixed /24, static addresses, no route out of the machine, no published ports; the host
 * reaches nodes through its own address on the bridge). Containers idle under an init, and
 * daemons are exec'd in them, so a killed DB restarts in the same container with its data.
 */
import { mkdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { baseImageExists, baseImageTag, canDebootstrap, ensureBaseImage } from '../../images/index.js';
import { CLOCK_FILE, writeOffsetFile } from '../faketime.js';
import { projectRoot } from '../project-root.js';
import { NAME_PREFIX, RUN_ENV, RUN_LABEL, runScratchDir, runTag } from '../run-tag.js';
import type { ClusterSpec, Runtime, StartedCluster } from '../runtime.js';
import { pickSubnet, type Subnet } from '../subnet.js';
import { DockerCluster } from './docker-cluster.js';
import { CONTAINER_CLOCK_DIR, CONTAINER_DATA_DIR, CONTAINER_LOG_DIR, copyDataDir, DockerNode } from './docker-node.js';

/** Options of the Docker runtime. */
export interface DockerRuntimeOptions {
  /** Image to run; default: the base image for the current recipe, built on demand. */
  image?: string;
  /** Progress lines (image build). */
  log?: (line: string) => void;
}

const DOCKER_SUBNET_SECOND_OCTET = 242;

/** Places nodes in Docker containers. */
export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const;
  private readonly docker = new Docker();

  constructor(private readonly opts: DockerRuntimeOptions = {}) {}

  async unavailableReason(): Promise<string | undefined> {
    try {
      await this.docker.ping();
    } catch (err) {
      return `no Docker engine answers (${(err as Error).message}); start dockerd or use --runtime local`;
    }
    // Without an image, one is built on demand offline with debootstrap (as root). Building from
    // the Dockerfile needs a registry, so it is only done when asked: `images build --method dockerfile`.
    if (this.opts.image) return undefined;
    for (const method of ['debootstrap', 'dockerfile'] as const) {
      if (await baseImageExists(this.docker, baseImageTag(method))) return undefined;
    }
    if (!(await canDebootstrap())) {
      return 'no node image is built and building one offline needs root and debootstrap; run `sudo splitbrain images build`, or `splitbrain images build --method dockerfile` where a registry is reachable';
    }
    return undefined;
  }

  async start(spec: ClusterSpec): Promise<StartedCluster> {
    const image = this.opts.image ?? (await ensureBaseImage({ log: this.opts.log })).tag;
    const tag = runTag(spec.runId);
    const labels = { [RUN_LABEL]: spec.runId };
    const scratch = runScratchDir(spec.runId);
    const { network, subnet } = await this.createNetwork(tag, labels);
    const nodes: DockerNode[] = [];
    const cluster = new DockerCluster(this.docker, spec.runId, nodes, network, scratch);
    try {
      const nodeBinary = await realpath(process.execPath);
      const root = projectRoot();
      const created = await Promise.all(
        spec.nodes.map(async (name, i) => {
          const clockDir = path.join(scratch, name);
          await writeOffsetFile(path.join(clockDir, CLOCK_FILE), 0);
          const hostLogDir = path.join(path.resolve(spec.logDir), name);
          await mkdir(hostLogDir, { recursive: true });
          const address = subnet.nodeAddress(i);
          const binds = [
            `${nodeBinary}:/usr/local/bin/node:ro`,
            `${root}:${root}:ro`,
            `${clockDir}:${CONTAINER_CLOCK_DIR}`,
            `${hostLogDir}:${CONTAINER_LOG_DIR}`,
          ];
          if (process.execPath !== '/usr/local/bin/node') binds.push(`${nodeBinary}:${process.execPath}:ro`);
          const container = await this.docker.createContainer({
            name: `${NAME_PREFIX}${tag}-${name}`,
            Hostname: name,
            Image: image,
            Cmd: ['sleep', 'infinity'],
            Env: [`${RUN_ENV}=${spec.runId}`],
            Labels: { ...labels, 'splitbrain.node': name },
            HostConfig: {
              Init: true,
              CapAdd: ['NET_ADMIN'],
              NetworkMode: network.id,
              Binds: binds,
            },
            // The alias lets peers (and a user's container sharing this network stack) dial `n2` by name.
            NetworkingConfig: {
              EndpointsConfig: { [network.id]: { IPAMConfig: { IPv4Address: address }, Aliases: [name] } },
            },
          });
          const node = new DockerNode(this.docker, container, name, address, spec.runId, hostLogDir, clockDir);
          nodes.push(node);
          await container.start();
          const made = await node.exec(['mkdir', '-p', CONTAINER_DATA_DIR]);
          if (made.exitCode !== 0) throw new Error(`cannot create ${CONTAINER_DATA_DIR} in ${name}: ${made.stderr}`);
          return node;
        }),
      );
      // Keep the caller's node order (creation finished in any order).
      nodes.splice(0, nodes.length, ...created);
      return cluster;
    } catch (err) {
      await cluster.teardown().catch(() => undefined);
      throw err;
    }
  }

  private async createNetwork(
    tag: string,
    labels: Record<string, string>,
  ): Promise<{ network: Docker.Network; subnet: Subnet }> {
    const taken = (await this.docker.listNetworks())
      .flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? ''))
      .filter(Boolean);
    for (let attempt = 0; ; attempt++) {
      const subnet = pickSubnet(DOCKER_SUBNET_SECOND_OCTET, tag, taken, attempt);
      try {
        const network = await this.docker.createNetwork({
          Name: `${NAME_PREFIX}${tag}`,
          Driver: 'bridge',
          Internal: true,
          CheckDuplicate: true,
          Labels: labels,
          IPAM: { Driver: 'default', Config: [{ Subnet: subnet.cidr, Gateway: subnet.gateway }] },
          Options: { 'com.docker.network.bridge.name': `${NAME_PREFIX}${tag}` },
        });
        return { network, subnet };
      } catch (err) {
        // Another run (or anything else) took the subnet between our look and our create.
        if (attempt < 5 && /overlap|pool/i.test((err as Error).message)) continue;
        throw err;
      }
    }
  }

  /**
   * Copies the data folders of run `runId`'s containers into `<logDir>/<node>/data/` (for
   * `cluster down`, which has no StartedCluster to call collectLogs on).
   */
  async collectRunData(runId: string, logDir: string): Promise<void> {
    // Only the nodes' own containers have the data folder (a user's container joined to one has not).
    const filters = JSON.stringify({ label: [`${RUN_LABEL}=${runId}`, 'splitbrain.node'] });
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map((c) =>
        copyDataDir(this.docker.getContainer(c.Id), path.join(logDir, c.Labels['splitbrain.node'] ?? c.Id)),
      ),
    );
  }

  async clean(runId?: string): Promise<string[]> {
    const removed: string[] = [];
    try {
      await this.docker.ping();
    } catch {
      return removed;
    }
    const filters = JSON.stringify({ label: [runId ? `${RUN_LABEL}=${runId}` : RUN_LABEL] });
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map(async (c) => {
        await this.docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined);
        removed.push(`container ${c.Names[0]?.replace(/^\//, '') ?? c.Id}`);
      }),
    );
    for (const n of await this.docker.listNetworks({ filters })) {
      await this.docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
      removed.push(`network ${n.Name}`);
    }
    if (runId) await rm(runScratchDir(runId), { recursive: true, force: true });
    return removed;
  }
}
