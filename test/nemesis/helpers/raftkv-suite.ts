/**
 * The nemesis against the real bundled raftkv, once per runtime: a cluster whose every node is
 * SIGKILLed comes back with its data, and isolating the leader the DB names makes the rest
 * elect another one, which the did-it-bite summary counts inside the partition's window.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RaftkvDb } from '../../../cluster/db/index.js';
import type { Runtime, StartedCluster } from '../../../cluster/runtime/runtime.js';
import { createKillNemesis } from '../../../nemesis/kill-nemesis.js';
import { watchLeader } from '../../../nemesis/leader.js';
import { type CompletedNemesisOp } from '../../../nemesis/nemesis.js';
import { createPartitionNemesis } from '../../../nemesis/partition-nemesis.js';
import { summarizeNemesis } from '../../../nemesis/summary.js';
import { type HistoryEvent } from '../../../src/history/index.js';
import { waitUntil } from './probe-db.js';

const NODES = ['n1', 'n2', 'n3'];

async function call(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(3000) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** Defines the raftkv nemesis suite for one runtime. */
export function defineRaftkvNemesisSuite(name: string, makeRuntime: () => Promise<Runtime>): void {
  describe(`nemesis against raftkv in the ${name} runtime`, () => {
    let cluster: StartedCluster | undefined;
    let skip: string | undefined;
    let logDir = '';
    const db = new RaftkvDb();

    const leaderUrl = async (): Promise<string> => {
      let leader: string | undefined;
      await waitUntil(
        async () => (leader = await db.leader(cluster as StartedCluster)) !== undefined,
        30_000,
        'a leader',
      );
      return db.clientEndpoint((cluster as StartedCluster).node(leader as string));
    };

    beforeAll(async () => {
      try {
        execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'ignore' });
      } catch {
        // Others' type errors make tsc exit non-zero, but it still writes dist/.
      }
      const runtime = await makeRuntime();
      skip = await runtime.unavailableReason();
      if (skip !== undefined) return;
      logDir = await mkdtemp(path.join(tmpdir(), `splitbrain-nemesis-raftkv-${name}-`));
      cluster = await runtime.start({ runId: `nkv${Date.now().toString(36).slice(-6)}`, nodes: NODES, logDir });
      await db.setup(cluster, {});
    });

    afterAll(async () => {
      if (cluster !== undefined) {
        await db.teardown(cluster).catch(() => undefined);
        await cluster.teardown();
      }
      if (logDir !== '') await rm(logDir, { recursive: true, force: true });
    });

    it('a cluster whose every node was SIGKILLed comes back with the data it acknowledged', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      const c = cluster as StartedCluster;
      const put = await call(`${await leaderUrl()}/kv/survivor`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: 42, requestId: 'nemesis-test:1' }),
      });
      expect(put?.status).toBe(200);
      const nemesis = createKillNemesis({ cluster: c, db });
      await nemesis.setup();
      try {
        const killed = await nemesis.invoke({ f: 'kill', value: { targets: 'all', nodes: NODES } });
        expect(killed.value.injected).toBe(3);
        for (const n of NODES) expect(await call(`${db.clientEndpoint(c.node(n))}/health`)).toBeUndefined();
        const started = await nemesis.invoke({ f: 'start' });
        expect(started.value.healed).toBe(3);
      } finally {
        await nemesis.teardown();
      }
      let read: Awaited<ReturnType<typeof call>>;
      await waitUntil(
        async () => (read = await call(`${await leaderUrl()}/kv/survivor`))?.status === 200,
        30_000,
        'a read',
      );
      expect(read?.body.value).toBe(42);
    });

    it('isolating the leader the DB names makes the others elect a new one, counted inside the partition window', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      const c = cluster as StartedCluster;
      const t0 = process.hrtime.bigint();
      const now = (): number => Number(process.hrtime.bigint() - t0);
      const history: HistoryEvent[] = [];
      const watch = watchLeader({ db, cluster: c, now, intervalMs: 200 });
      const nemesis = createPartitionNemesis({ cluster: c, db });
      await nemesis.setup();
      let oldLeader: string | undefined;
      try {
        await leaderUrl();
        const started = await nemesis.invoke({ f: 'start-partition', value: { partition: 'leader' } });
        history.push(nemesisEvent(started, now()));
        oldLeader = started.value.leader as string | undefined;
        expect(oldLeader).toBeDefined();
        expect(started.value.injected).toBe(8);
        await waitUntil(
          async () => {
            const l = await db.leader(c);
            return l !== undefined && l !== oldLeader;
          },
          30_000,
          'a new leader among the majority',
        );
        await new Promise((r) => setTimeout(r, 500));
        const healed = await nemesis.invoke({ f: 'stop-partition' });
        history.push(nemesisEvent(healed, now()));
      } finally {
        await nemesis.teardown();
      }
      const samples = await watch.stop();
      const summary = summarizeNemesis(history, ['partition'], samples);
      expect(summary.faults[0]?.leaderChanges).toBeGreaterThanOrEqual(1);
      await leaderUrl();
    });
  });
}

/** A completed nemesis op as the history records it. */
function nemesisEvent(done: CompletedNemesisOp, time: number): HistoryEvent {
  return {
    type: 'info',
    process: 'nemesis',
    f: done.f,
    value: done.value,
    time,
    ...(done.error ? { error: done.error } : {}),
  };
}
