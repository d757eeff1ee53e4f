/**
 * Partitions without namespaces: local nodes on shared loopback with their links through the
 * link proxy (forced here with `isolation: 'proxy'`, which is what a non-root run gets). A cut
 * through the proxy stops raftkv replication to the cut-off node while the rest commit, the
 * heal lets it catch up, and nothing of the run is left afterwards, after a crash included.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RaftkvDb } from '../../cluster/db/index.js';
import { type NodeStatus } from '../../cluster/raftkv/node/index.js';
import { hasLinkControl } from '../../cluster/runtime/link-control.js';
import { LocalRuntime } from '../../cluster/runtime/local/index.js';
import { markedPids } from '../../cluster/runtime/host-sweep.js';
import { runScratchDir } from '../../cluster/runtime/run-tag.js';
import { parseNemesisOption } from '../../nemesis/index.js';
import { checkNemesisCapabilities } from '../../nemesis/capabilities.js';
import { completeGrudge } from '../../nemesis/grudge.js';
import { createPartitionNemesis } from '../../nemesis/partition-nemesis.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(db: RaftkvDb, node: Parameters<RaftkvDb['clientEndpoint']>[0]): Promise<NodeStatus | undefined> {
  const r = await fetch(`${db.clientEndpoint(node)}/status`, { signal: AbortSignal.timeout(2000) }).catch(
    () => undefined,
  );
  return r?.ok ? ((await r.json()) as NodeStatus) : undefined;
}

async function put(db: RaftkvDb, node: Parameters<RaftkvDb['clientEndpoint']>[0], key: string, value: number) {
  const r = await fetch(`${db.clientEndpoint(node)}/kv/${key}`, {
    method: 'PUT',
    body: JSON.stringify({ value, requestId: `${key}:${value}` }),
    signal: AbortSignal.timeout(3000),
  }).catch(() => undefined);
  return r?.status;
}

const newRunId = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-6)}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local runtime with links through the proxy', () => {
  it('a partition through the proxy stops raftkv replication to the cut node, the heal catches it up, and nothing is left', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'splitbrain-link-proxy-'));
    const runId = newRunId('lpx');
    const cluster = await new LocalRuntime({ isolation: 'proxy' }).start({ runId, nodes: ['n1', 'n2', 'n3'], logDir });
    const db = new RaftkvDb();
    try {
      expect(hasLinkControl(cluster)).toBe(true);
      expect(cluster.capabilities.iptables).toBe(false);
      const caps = await checkNemesisCapabilities(cluster, db, parseNemesisOption('all'));
      expect(caps.faults).toEqual(expect.arrayContaining(['partition', 'packet', 'kill', 'pause']));
      expect(caps.skipped.map((s) => s.fault)).toContain('packet-delay');

      await db.setup(cluster, {});
      const leaderName = await db.leader(cluster);
      expect(leaderName).toBeDefined();
      const leader = cluster.node(leaderName!);
      const cut = cluster.nodes.find((n) => n.name !== leaderName)!;
      const rest = cluster.nodes.filter((n) => n !== cut).map((n) => n.name);

      const nemesis = createPartitionNemesis({ cluster, db, seed: 1 });
      await nemesis.setup();
      const started = await nemesis.invoke({
        f: 'start-partition',
        value: { partition: 'one', grudge: completeGrudge([[cut.name], rest]) },
      });
      expect(started.error).toBeUndefined();
      expect(started.value.injected).toBe(4); // two links each way

      const before = (await status(db, cut))!.applied;
      for (let i = 1; i <= 10; i++) expect(await put(db, leader, 'p', i)).toBe(200);
      const target = (await status(db, leader))!.commit;
      await sleep(1000);
      expect(target).toBeGreaterThan(before);
      expect((await status(db, cut))!.applied).toBe(before);

      const healed = await nemesis.invoke({ f: 'stop-partition' });
      expect(healed.value.healed).toBe(4);
      const deadline = Date.now() + 20_000;
      let s = await status(db, cut);
      while (Date.now() < deadline && !(s && s.applied >= target)) {
        await sleep(100);
        s = await status(db, cut);
      }
      expect(s!.applied).toBeGreaterThanOrEqual(target);
      expect(await nemesis.teardown()).toEqual([]);
    } finally {
      await db.teardown(cluster);
      await cluster.teardown();
    }
    expect(await markedPids(runId)).toEqual([]);
    expect(existsSync(runScratchDir(runId))).toBe(false);
    await rm(logDir, { recursive: true, force: true });
  });

  it('cluster clean kills the proxy of a run that crashed before its teardown', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'splitbrain-link-proxy-'));
    const runId = newRunId('lpc');
    const cluster = await new LocalRuntime({ isolation: 'proxy' }).start({ runId, nodes: ['n1', 'n2'], logDir });
    try {
      const proxies = await markedPids(runId);
      expect(proxies.length).toBe(1);
      const removed = await new LocalRuntime().clean(runId);
      expect(removed).toContain(`process ${proxies[0]}`);
      await sleep(100);
      expect(alive(proxies[0]!)).toBe(false);
      expect(existsSync(runScratchDir(runId))).toBe(false);
    } finally {
      await cluster.teardown();
      await rm(logDir, { recursive: true, force: true });
    }
  });
});
