/**
 * The liveness watch on real containers: every node's daemon that exits by itself is a death,
 * although each container has its own pid namespace and the daemons of different nodes usually
 * share a pid; a SIGKILL (the kill nemesis, teardown) is not one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime, newRunId, type StartedCluster } from '../../cluster/runtime/index.js';
import { watchLiveness } from '../../src/runner/liveness.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
const reason = await new DockerRuntime().unavailableReason();

describe.skipIf(reason !== undefined)(`liveness on docker${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let cluster: StartedCluster | undefined;
  let logDir: string | undefined;
  afterAll(async () => {
    await cluster?.teardown();
    if (logDir !== undefined) await rm(logDir, { recursive: true, force: true });
  });

  it('records an exit by itself on every node and no SIGKILL', async () => {
    logDir = await mkdtemp(path.join(tmpdir(), 'splitbrain-liveness-'));
    cluster = await new DockerRuntime().start({ runId: newRunId(), nodes: ['n1', 'n2', 'n3'], logDir });
    const c = cluster;
    const t0 = Date.now();
    const watch = watchLiveness({ cluster, now: () => (Date.now() - t0) * 1e6, intervalMs: 50 });
    const dying = await Promise.all(
      ['n1', 'n2'].map((n) => c.node(n).spawn({ name: 'crasher', command: ['sh', '-c', 'sleep 1; exit 3'] })),
    );
    const killed = await c.node('n3').spawn({ name: 'sleeper', command: ['sleep', '60'] });
    await Promise.all(dying.map((d) => d.exited()));
    await killed.signal('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const deaths = watch.stop();
    expect(deaths.map((d) => [d.node, d.code]).sort()).toEqual([
      ['n1', 3],
      ['n2', 3],
    ]);
  });
});
