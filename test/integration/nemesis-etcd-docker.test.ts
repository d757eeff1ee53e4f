/**
 * Clock skew against etcd, a Go binary libfaketime cannot reach: `all` skips it with the
 * reason, naming clock runs it anyway and every clock event says it was ineffective. Killing
 * etcd's leader works like any other kill, and a paused leader is still named while the others
 * follow it (a fault aimed at the leader then lands on it, not nowhere).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdDb } from '../../cluster/db/index.js';
import { DockerRuntime } from '../../cluster/runtime/docker/index.js';
import type { StartedCluster } from '../../cluster/runtime/runtime.js';
import { parseNemesisOption } from '../../nemesis/index.js';
import { checkNemesisCapabilities } from '../../nemesis/capabilities.js';
import { createClockNemesis } from '../../nemesis/clock-nemesis.js';
import { createKillNemesis } from '../../nemesis/kill-nemesis.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

describe('nemesis against etcd in the docker runtime', () => {
  const db = new EtcdDb();
  let cluster: StartedCluster | undefined;
  let skip: string | undefined;
  let logDir = '';

  beforeAll(async () => {
    const runtime = new DockerRuntime();
    skip = await runtime.unavailableReason();
    if (skip !== undefined) return;
    logDir = await mkdtemp(path.join(tmpdir(), 'splitbrain-nemesis-etcd-'));
    cluster = await runtime.start({
      runId: `net${Date.now().toString(36).slice(-6)}`,
      nodes: ['n1', 'n2', 'n3'],
      logDir,
    });
    await db.setup(cluster, {});
  });

  afterAll(async () => {
    if (cluster !== undefined) {
      await db.teardown(cluster).catch(() => undefined);
      await cluster.teardown();
    }
    if (logDir !== '') await rm(logDir, { recursive: true, force: true });
  });

  it('skips clock skew under all, and records it as ineffective when asked for by name', async (ctx) => {
    if (skip !== undefined) return ctx.skip(skip);
    const c = cluster as StartedCluster;
    const all = await checkNemesisCapabilities(c, db, parseNemesisOption('all'));
    expect(all.faults).toEqual(['partition', 'kill', 'pause', 'packet']);
    expect(all.skipped.find((s) => s.fault === 'clock')?.reason).toMatch(
      /etcd does not read its wall clock through libc/,
    );

    const named = await checkNemesisCapabilities(c, db, parseNemesisOption('clock'));
    expect(named.faults).toEqual(['clock']);
    expect(named.notes.join(' ')).toMatch(/change nothing/);

    const nemesis = createClockNemesis({ cluster: c, db });
    await nemesis.setup();
    try {
      const bumped = await nemesis.invoke({ f: 'bump-clock', value: { offsets: { n1: 5000 } } });
      expect(bumped.value).toMatchObject({ injected: 1, effective: false });
      expect(bumped.value.note).toMatch(/etcd/);
    } finally {
      await nemesis.teardown();
    }
  });

  it('kills the leader etcd names and brings it back', async (ctx) => {
    if (skip !== undefined) return ctx.skip(skip);
    const c = cluster as StartedCluster;
    const nemesis = createKillNemesis({ cluster: c, db });
    await nemesis.setup();
    try {
      const leader = await db.leader(c);
      expect(leader).toBeDefined();
      const killed = await nemesis.invoke({ f: 'kill', value: { targets: 'leader' } });
      expect(killed.value).toMatchObject({ injected: 1, nodes: [leader] });
      const started = await nemesis.invoke({ f: 'start' });
      expect(started.value).toMatchObject({ healed: 1, nodes: [leader] });
    } finally {
      await nemesis.teardown();
    }
    const deadline = Date.now() + 30_000;
    while ((await db.leader(c)) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(await db.leader(c)).toBeDefined();
  });

  it('names a paused leader from what the other members say, until they elect another', async (ctx) => {
    if (skip !== undefined) return ctx.skip(skip);
    const c = cluster as StartedCluster;
    // A settled leader: the one named three times in a row, 500 ms apart (the previous test's heal
    // can leave an election in flight, and pausing a leader that is being replaced proves nothing).
    const deadline = Date.now() + 30_000;
    let leader: string | undefined;
    let same = 0;
    while (same < 3 && Date.now() < deadline) {
      const now = await db.leader(c);
      same = now !== undefined && now === leader ? same + 1 : 1;
      leader = now;
      if (same < 3) await new Promise((r) => setTimeout(r, 500));
    }
    expect(leader, 'a leader named three times in a row').toBeDefined();
    const node = c.nodes.find((n) => n.name === leader)!;
    await db.pause(node);
    try {
      // The others wait one election timeout (1 s) before they look for another leader.
      expect(await db.leader(c)).toBe(leader);
    } finally {
      await db.resume(node);
    }
  });
});
