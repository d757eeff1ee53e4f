/**
 * The nemesis integration suite, run once per runtime (test/integration/nemesis-*.test.ts): each
 * fault is injected for real into a three-node cluster running the probe daemon, and its effect
 * is observed from outside; afterwards no rule, paused process or clock offset may remain.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime, StartedCluster, StartedNode } from '../../../cluster/runtime/runtime.js';
import {
  assertNemesisBit,
  NemesisUnavailableError,
  parseNemesisOption,
  nemesisClient,
} from '../../../nemesis/index.js';
import { checkNemesisCapabilities } from '../../../nemesis/capabilities.js';
import { createClockNemesis } from '../../../nemesis/clock-nemesis.js';
import { isolateGrudge } from '../../../nemesis/grudge.js';
import { OWNED_CHAINS } from '../../../nemesis/iptables.js';
import { createKillNemesis } from '../../../nemesis/kill-nemesis.js';
import { type Nemesis } from '../../../nemesis/nemesis.js';
import { composeNemesisPackage } from '../../../nemesis/package.js';
import { createPacketNemesis } from '../../../nemesis/packet-nemesis.js';
import { createPartitionNemesis } from '../../../nemesis/partition-nemesis.js';
import { createPauseNemesis } from '../../../nemesis/pause-nemesis.js';
import { summarizeNemesis } from '../../../nemesis/summary.js';
import { type HistoryEvent } from '../../../src/history/index.js';
import { interpret } from '../../../src/runner/interpreter.js';
import { Recorder } from '../../../src/runner/recorder.js';
import { phases, withNemesis } from '../../../workloads/index.js';
import { get, PROBE_PORT, ProbeDb, waitUntil } from './probe-db.js';

const NODES = ['n1', 'n2', 'n3'];

/** Defines the suite for one runtime; `unavailable` says why to skip it here, if it must be skipped. */
export function defineNemesisSuite(name: string, makeRuntime: () => Promise<Runtime>): void {
  describe(`nemesis in the ${name} runtime`, () => {
    let runtime: Runtime | undefined;
    let cluster: StartedCluster | undefined;
    let skip: string | undefined;
    const db = new ProbeDb();
    let logDir = '';
    const baseline: Record<string, string> = {};

    const node = (n: string): StartedNode => (cluster as StartedCluster).node(n);
    const url = (n: string, p: string): string => `http://${node(n).address}:${PROBE_PORT}${p}`;
    /** Can `from` reach `to`? Asks the probe in `from` to fetch `to`'s /ping (3 s timeout inside). */
    const reaches = async (from: string, to: string): Promise<boolean> =>
      (await get(url(from, `/fetch?url=${encodeURIComponent(url(to, '/ping'))}`), 6000)) === to;
    /** How far the probe's Date.now() in a node is from ours, in ms. */
    const skew = async (n: string): Promise<number> => {
      const before = Date.now();
      const body = await get(url(n, '/now'));
      const after = Date.now();
      if (body === undefined) throw new Error(`${n} did not answer /now`);
      return (JSON.parse(body) as { now: number }).now - (before + after) / 2;
    };
    /**
     * The node's firewall as iptables-save prints it, without comments and counters, and without
     * tables that hold nothing but empty built-in chains: iptables-nft creates the filter table on
     * first use, and an empty table filters exactly as no table does.
     */
    const firewall = async (n: string): Promise<string> => {
      const r = await node(n).exec(['iptables-save'], { timeoutMs: 20_000 });
      const lines = r.stdout
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]'));
      const tables = lines
        .join('\n')
        .split(/(?<=^COMMIT)$/m)
        .map((t) => t.trim())
        .filter((t) => t !== '');
      const empty = /^:(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) ACCEPT \[0:0\]$/;
      return tables
        .filter((t) => !t.split('\n').every((l) => l.startsWith('*') || l === 'COMMIT' || empty.test(l)))
        .join('\n');
    };
    const processState = async (n: string): Promise<string> => {
      const pid = db.daemon(n)?.pid;
      const r = await node(n).exec(['cat', `/proc/${pid}/status`]);
      return /^State:\s+(\S)/m.exec(r.stdout)?.[1] ?? '?';
    };
    /** Everything a nemesis may leave behind must be as it was before the test. */
    const expectClean = async (): Promise<void> => {
      for (const n of NODES) {
        expect(await firewall(n)).toBe(baseline[n]);
        for (const chain of OWNED_CHAINS) expect(await firewall(n)).not.toContain(chain);
        expect(db.daemon(n)?.isPaused()).toBe(false);
        expect(await processState(n)).not.toBe('T');
        expect(Math.abs(await skew(n))).toBeLessThan(1000);
      }
      for (const a of NODES) for (const b of NODES) if (a !== b) expect(await reaches(a, b)).toBe(true);
    };
    /** Runs a test body with a set-up nemesis that is always torn down. */
    const using = async (nemesis: Nemesis, body: (n: Nemesis) => Promise<void>): Promise<void> => {
      await nemesis.setup();
      try {
        await body(nemesis);
      } finally {
        await nemesis.teardown();
      }
    };

    beforeAll(async () => {
      try {
        execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'ignore' });
      } catch {
        // Others' type errors make tsc exit non-zero, but it still writes dist/.
      }
      runtime = await makeRuntime();
      skip = await runtime.unavailableReason();
      if (skip !== undefined) return;
      logDir = await mkdtemp(path.join(tmpdir(), `splitbrain-nemesis-${name}-`));
      cluster = await runtime.start({ runId: `nem${Date.now().toString(36).slice(-6)}`, nodes: NODES, logDir });
      await db.setup(cluster);
      for (const n of NODES) baseline[n] = await firewall(n);
    });

    afterAll(async () => {
      if (cluster !== undefined) {
        await db.teardown().catch(() => undefined);
        await cluster.teardown();
      }
      if (logDir !== '') await rm(logDir, { recursive: true, force: true });
    });

    it('offers every fault but packet-delay, which it refuses up front with the reason', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      const c = cluster as StartedCluster;
      const caps = await checkNemesisCapabilities(c, db, parseNemesisOption('all'));
      expect(caps.faults).toEqual(['partition', 'kill', 'pause', 'clock', 'packet']);
      expect(caps.skipped.map((s) => s.fault)).toEqual(['packet-delay']);
      expect(caps.skipped[0]?.reason).toMatch(/netem/);
      await expect(checkNemesisCapabilities(c, db, parseNemesisOption('partition,packet-delay'))).rejects.toThrow(
        NemesisUnavailableError,
      );
    });

    it('an isolated node cannot reach or be reached by the others while the partition holds, and can after heal', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      await using(createPartitionNemesis({ cluster: cluster as StartedCluster, db }), async (nemesis) => {
        expect(await reaches('n1', 'n2')).toBe(true);
        const started = await nemesis.invoke({
          f: 'start-partition',
          value: { partition: 'one', grudge: isolateGrudge(NODES, 'n1') },
        });
        expect(started.error).toBeUndefined();
        // n1 drops from and to n2 and n3 (4 rules); n2 and n3 each drop from and to n1 (2 rules each).
        expect(started.value.injected).toBe(8);
        expect(await firewall('n1')).toContain('-A INPUT -j SPLITBRAIN-PARTITION');
        expect(await reaches('n1', 'n2')).toBe(false);
        expect(await reaches('n2', 'n1')).toBe(false);
        expect(await reaches('n3', 'n1')).toBe(false);
        expect(await reaches('n2', 'n3')).toBe(true);
        const healed = await nemesis.invoke({ f: 'stop-partition' });
        expect(healed.value.healed).toBe(8);
        expect(await reaches('n1', 'n2')).toBe(true);
        expect(await reaches('n3', 'n1')).toBe(true);
        for (const n of NODES) expect(await firewall(n)).toBe(baseline[n]);
      });
    });

    it('heal removes everything even when one of its rules vanished meanwhile', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      await using(createPartitionNemesis({ cluster: cluster as StartedCluster, db }), async (nemesis) => {
        await nemesis.invoke({ f: 'start-partition', value: { partition: 'one', grudge: isolateGrudge(NODES, 'n2') } });
        const gone = await node('n2').exec([
          'iptables',
          '-D',
          'SPLITBRAIN-PARTITION',
          '-s',
          `${node('n1').address}/32`,
          '-j',
          'DROP',
        ]);
        expect(gone.exitCode).toBe(0);
        const healed = await nemesis.invoke({ f: 'stop-partition' });
        expect(healed.error).toBeUndefined();
        // Eight rules went in; one was already gone, so heal removed seven.
        expect(healed.value.healed).toBe(7);
        for (const n of NODES) expect(await firewall(n)).toBe(baseline[n]);
      });
    });

    it('setup sweeps a partition chain that a crashed run left in a node', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      const script = `*filter\n:SPLITBRAIN-PARTITION - [0:0]\n-I INPUT 1 -j SPLITBRAIN-PARTITION\n-A SPLITBRAIN-PARTITION -s ${node('n1').address}/32 -j DROP\nCOMMIT\n`;
      expect((await node('n3').exec(['iptables-restore', '--noflush'], { input: script })).exitCode).toBe(0);
      expect(await reaches('n1', 'n3')).toBe(false);
      await using(createPartitionNemesis({ cluster: cluster as StartedCluster, db }), async () => {
        expect(await firewall('n3')).toBe(baseline.n3);
        expect(await reaches('n1', 'n3')).toBe(true);
      });
    });

    it('packet loss at probability 1 cuts only the target’s links to its peers, and heal restores them', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      await using(createPacketNemesis({ cluster: cluster as StartedCluster, db }), async (nemesis) => {
        const started = await nemesis.invoke({
          f: 'start-packet-loss',
          value: { targets: 'one', nodes: ['n2'], probability: 1 },
        });
        expect(started.value.injected).toBe(4);
        expect(await reaches('n1', 'n2')).toBe(false);
        expect(await reaches('n2', 'n3')).toBe(false);
        expect(await reaches('n1', 'n3')).toBe(true);
        // The host is not a peer: clients still reach the target.
        expect(await get(url('n2', '/ping'))).toBe('n2');
        await nemesis.invoke({ f: 'stop-packet-loss' });
        expect(await reaches('n1', 'n2')).toBe(true);
        for (const n of NODES) expect(await firewall(n)).toBe(baseline[n]);
      });
    });

    it('a paused daemon answers nothing until it is resumed', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      await using(createPauseNemesis({ cluster: cluster as StartedCluster, db }), async (nemesis) => {
        const paused = await nemesis.invoke({ f: 'pause', value: { targets: 'one', nodes: ['n2'] } });
        expect(paused.value).toMatchObject({ injected: 1, nodes: ['n2'], pids: { n2: db.daemon('n2')?.pid } });
        expect(await processState('n2')).toBe('T');
        expect(await get(url('n2', '/ping'), 1500)).toBeUndefined();
        expect(await get(url('n1', '/ping'))).toBe('n1');
        const resumed = await nemesis.invoke({ f: 'resume' });
        expect(resumed.value.healed).toBe(1);
        expect(await get(url('n2', '/ping'), 5000)).toBe('n2');
      });
    });

    it('a killed daemon stops answering and comes back as a new process on start', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      await using(createKillNemesis({ cluster: cluster as StartedCluster, db }), async (nemesis) => {
        const oldPid = db.daemon('n3')?.pid;
        const killed = await nemesis.invoke({ f: 'kill', value: { targets: 'one', nodes: ['n3'] } });
        expect(killed.value).toMatchObject({ injected: 1, pids: { n3: oldPid } });
        expect(await get(url('n3', '/ping'), 1500)).toBeUndefined();
        const started = await nemesis.invoke({ f: 'start' });
        expect(started.value.healed).toBe(1);
        expect(await get(url('n3', '/ping'), 5000)).toBe('n3');
        const newPid = (started.value.pids as Record<string, number>).n3;
        expect(newPid).toBe(db.daemon('n3')?.pid);
        expect(newPid).not.toBe(oldPid);
      });
    });

    it('a skewed node’s Date.now() is off by the requested amount, a strobe flips it, and reset puts it back', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      await using(createClockNemesis({ cluster: cluster as StartedCluster, db }), async (nemesis) => {
        const bumped = await nemesis.invoke({ f: 'bump-clock', value: { offsets: { n1: 8000, n2: -3000 } } });
        expect(bumped.value).toMatchObject({ injected: 2, effective: true });
        expect(await skew('n1')).toBeGreaterThan(7000);
        expect(await skew('n1')).toBeLessThan(9000);
        expect(await skew('n2')).toBeGreaterThan(-4000);
        expect(await skew('n2')).toBeLessThan(-2000);
        expect(Math.abs(await skew('n3'))).toBeLessThan(1000);
        await nemesis.invoke({ f: 'reset-clock' });
        expect(Math.abs(await skew('n1'))).toBeLessThan(1000);

        await nemesis.invoke({ f: 'strobe-clock', value: { nodes: ['n3'], deltaMs: 20_000, periodMs: 250 } });
        const seen: number[] = [];
        for (let i = 0; i < 30; i++) {
          seen.push(await skew('n3'));
          await new Promise((r) => setTimeout(r, 90));
        }
        expect(seen.some((s) => s > 15_000)).toBe(true);
        expect(seen.some((s) => Math.abs(s) < 5_000)).toBe(true);
        const reset = await nemesis.invoke({ f: 'reset-clock' });
        expect(reset.value.strobeFlips as number).toBeGreaterThan(2);
        expect(Math.abs(await skew('n3'))).toBeLessThan(1000);
      });
    });

    it('teardown heals every fault at once, and a second teardown finds nothing to do', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      const pkg = composeNemesisPackage({
        cluster: cluster as StartedCluster,
        db,
        faults: ['partition', 'packet', 'pause', 'clock', 'kill'],
        seed: 1,
        durationS: 60,
      });
      await pkg.nemesis.setup();
      await pkg.nemesis.invoke({
        f: 'start-partition',
        value: { partition: 'one', grudge: isolateGrudge(NODES, 'n3') },
      });
      await pkg.nemesis.invoke({ f: 'start-packet-loss', value: { targets: 'one', nodes: ['n1'], probability: 0.5 } });
      await pkg.nemesis.invoke({ f: 'pause', value: { targets: 'one', nodes: ['n2'] } });
      await pkg.nemesis.invoke({ f: 'bump-clock', value: { offsets: { n1: 4000 } } });
      await pkg.nemesis.invoke({ f: 'kill', value: { targets: 'one', nodes: ['n3'] } });
      const healed = await pkg.nemesis.teardown();
      expect(healed.map((h) => h.f).sort()).toEqual([
        'reset-clock',
        'resume',
        'start',
        'stop-packet-loss',
        'stop-partition',
      ]);
      expect(await pkg.nemesis.teardown()).toEqual([]);
      await waitUntil(async () => (await get(url('n3', '/ping'))) === 'n3', 10_000, 'n3 to answer');
      await expectClean();
    });

    it('a seeded schedule driven by the interpreter injects every fault kind, records it, and leaves nothing behind', async (ctx) => {
      if (skip !== undefined) return ctx.skip(skip);
      const c = cluster as StartedCluster;
      const caps = await checkNemesisCapabilities(c, db, parseNemesisOption('partition,kill,pause,clock,packet'));
      const pkg = composeNemesisPackage({ cluster: c, db, faults: caps.faults, seed: 11, durationS: 18, intervalS: 1 });
      const events: HistoryEvent[] = [];
      const recorder = new Recorder({ append: (e) => void events.push(e) });
      await pkg.nemesis.setup();
      try {
        // The opening reaches every kind within 15 s (pauses open last, at 11-14 s); then everything is healed.
        await interpret({
          generator: withNemesis(undefined, phases(pkg.generator(recorder.now()), pkg.final)),
          pool: { open: () => ({ invoke: async () => ({ type: 'ok' }) }), close: async () => {} },
          recorder,
          threads: 0,
          nemesis: nemesisClient(pkg.nemesis),
        });
      } finally {
        await pkg.nemesis.teardown();
      }
      const history = events;
      const summary = summarizeNemesis(history, caps.faults);
      expect(summary.faults.map((f) => [f.fault, f.injected > 0])).toEqual(caps.faults.map((f) => [f, true]));
      expect(() => assertNemesisBit(summary)).not.toThrow();
      expect(history.every((e) => e.error === undefined)).toBe(true);
      await waitUntil(
        async () => (await Promise.all(NODES.map((n) => get(url(n, '/ping'))))).every((b) => b !== undefined),
        15_000,
        'every probe to answer',
      );
      await expectClean();
    });
  });
}
