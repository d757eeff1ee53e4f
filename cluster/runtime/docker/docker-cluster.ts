/** A started Docker cluster: its containers and network, and how to take them down again. */
import { rm } from 'node:fs/promises';
import type Docker from 'dockerode';
import { ClusterBase } from '../cluster-base.js';
import type { ClusterCapabilities } from '../runtime.js';
import { RUN_LABEL } from '../run-tag.js';
import type { DockerNode } from './docker-node.js';

/** The containers of one run on their internal network. */
export class DockerCluster extends ClusterBase<DockerNode> {
  override readonly runtime = 'docker' as const;
  override readonly capabilities: ClusterCapabilities = { iptables: true, faketime: true, reasons: [] };

  constructor(
    private readonly docker: Docker,
    runId: string,
    /** Filled by the runtime while it creates the containers (the cluster can tear down a half-started run). */
    nodes: DockerNode[],
    private readonly network: Docker.Network,
    private readonly scratchDir: string,
  ) {
    super(runId, nodes);
  }

  protected override async doTeardown(): Promise<void> {
    // Copy data out while the containers exist; a failure here must not keep anything alive.
    await Promise.allSettled(
      this.nodes.map((n) => Promise.race([n.collectLogs(), new Promise((r) => setTimeout(r, 10_000))])),
    );
    const errors: unknown[] = [];
    // Containers that joined a node's network (a user's image, see node-container.ts) go first:
    // whatever a DB left running must not outlive the run, and they hold the nodes' namespaces.
    const nodeIds = new Set(this.nodes.map((n) => n.container.id));
    const labelled = await this.docker
      .listContainers({ all: true, filters: JSON.stringify({ label: [`${RUN_LABEL}=${this.runId}`] }) })
      .catch((err: unknown) => {
        errors.push(err);
        return [];
      });
    await Promise.all(
      labelled
        .filter((c) => !nodeIds.has(c.Id))
        .map((c) =>
          this.docker
            .getContainer(c.Id)
            .remove({ force: true, v: true })
            .catch((err: { statusCode?: number }) => {
              if (err.statusCode !== 404) errors.push(err);
            }),
        ),
    );
    await Promise.all(
      this.nodes.map((n) =>
        n.container.remove({ force: true, v: true }).catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 404) errors.push(err);
        }),
      ),
    );
    await Promise.all(this.nodes.map((n) => n.settle()));
    await this.network.remove().catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) errors.push(err);
    });
    await rm(this.scratchDir, { recursive: true, force: true });
    if (errors.length > 0) throw new AggregateError(errors, `teardown of run ${this.runId} left something behind`);
  }
}
