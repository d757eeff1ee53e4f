/**
 * `splitbrain test` end to end with the local runtime: real raftkv processes in network
 * namespaces, real iptables partitions, SIGKILL, SIGSTOP and libfaketime, the checker, the store.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../cluster/runtime/index.js';
import {
  build,
  faultKinds,
  latestRun,
  namespacesOfRun,
  processesOfRun,
  readHistory,
  readResults,
  runIdOf,
  splitbrain,
} from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-local-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe.skipIf(!isRoot)('splitbrain test --runtime local (needs root for namespaces and iptables)', () => {
  it('runs 30 s of kv load on 5 raftkv nodes under partitions, kills, pauses and clock skew and finds it linearizable', async () => {
    const r = await splitbrain([
      'test',
      '--runtime',
      'local',
      '--db',
      'raftkv',
      '--nodes',
      '5',
      '--workload',
      'kv',
      '--nemesis',
      'partition,kill,pause,clock',
      '--time-limit',
      '30',
      '--seed',
      '11',
      '--store',
      store,
    ]);
    expect(r.exitCode, r.all).toBe(0);
    const run = latestRun(store, 'raftkv-kv');
    const results = readResults(run);
    expect(results.valid).toBe(true);
    expect(results.stats.byType.ok).toBeGreaterThanOrEqual(500);
    expect([...faultKinds(readHistory(run))].sort()).toEqual(['clock', 'kill', 'partition', 'pause']);
    expect(results.seed).toBe(11);
    expect(results.command.slice(1, 4)).toEqual(['test', '--runtime', 'local']);
    // results.json carries what a person or CI reads first.
    expect(Object.keys(results.stats.byF).sort()).toEqual(['cas', 'read', 'write']);
    expect(results.stats.throughput.okPerS).toBeGreaterThan(0);
    expect(results.stats.latencyMs.ok.p99).toBeGreaterThanOrEqual(results.stats.latencyMs.ok.p50);
    expect(results.check?.ms).toBeGreaterThanOrEqual(0);
    expect(results.versions).toMatchObject({ node: process.version, splitbrain: expect.any(String) });
    expect(
      (results.nemesis as { faults: { fault: string; injected: number }[] }).faults.every((f) => f.injected > 0),
    ).toBe(true);
    expect(results.phases.map((p) => p.name)).toContain('final-reads');
  }, 300_000);

  it.skipIf(!existsSync('/usr/bin/etcd'))(
    'tests etcd through its v3 JSON gateway under partitions, kills and pauses and finds it linearizable',
    async () => {
      const r = await splitbrain([
        'test',
        '--runtime',
        'local',
        '--db',
        'etcd',
        '--nodes',
        '3',
        '--workload',
        'cas-register',
        '--nemesis',
        'partition,kill,pause',
        '--nemesis-interval',
        '3',
        '--time-limit',
        '15',
        '--store',
        store,
      ]);
      expect(r.exitCode, r.all).toBe(0);
      const results = readResults(latestRun(store, 'etcd-cas-register'));
      expect(results.stats.byF.cas?.ok).toBeGreaterThan(0);
      expect(results.stats.byF.write?.ok).toBeGreaterThan(0);
      expect(results.versions.etcd).toMatch(/^3\.4/);
    },
    300_000,
  );

  it('exits 1 with a counterexample when raftkv runs with an injected bug', async () => {
    const junit = path.join(store, 'bug.xml');
    const r = await splitbrain([
      'test',
      '--runtime',
      'local',
      '--nodes',
      '5',
      '--workload',
      'kv',
      '--nemesis',
      'partition',
      '--nemesis-interval',
      '3',
      '--bug',
      'stale-read',
      '--time-limit',
      '20',
      '--concurrency',
      '10',
      '--rate',
      '300',
      '--seed',
      '5',
      '--store',
      store,
      '--junit',
      junit,
    ]);
    expect(r.exitCode, r.all).toBe(1);
    const results = readResults(latestRun(store, 'raftkv-kv-bug-stale-read'));
    expect(results.valid).toBe(false);
    expect(results.check?.counterexample?.explanation).toBeTruthy();
    expect((await import('node:fs')).readFileSync(junit, 'utf8')).toContain('<failure type="not-linearizable"');
  }, 300_000);

  it('heals and tears down on Ctrl-C mid-run, exits 3 and leaves nothing of the run behind', async () => {
    const child = splitbrain([
      'test',
      '--runtime',
      'local',
      '--nodes',
      '3',
      '--nemesis',
      'partition,pause,clock',
      '--nemesis-interval',
      '2',
      '--time-limit',
      '120',
      '--store',
      store,
      '--name',
      'interrupted',
    ]);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        if (readHistory(latestRun(store, 'interrupted')).filter((e) => e.type === 'ok').length >= 100) break;
      } catch {
        /* no run folder yet */
      }
    }
    child.kill('SIGINT');
    const r = await child;
    const run = latestRun(store, 'interrupted');
    const runId = runIdOf(run);
    try {
      expect(r.exitCode, r.all).toBe(3);
      expect(r.all).toMatch(/interrupted/);
      expect(readResults(run).exitCode).toBe(3);
      expect(processesOfRun(runId)).toEqual([]);
      expect(await namespacesOfRun(runId)).toEqual([]);
    } finally {
      await new LocalRuntime().clean(runId);
    }
  }, 300_000);

  it('leaves a checkable history when the runner is SIGKILLed mid-run, and cluster clean sweeps what it left', async () => {
    const child = splitbrain([
      'test',
      '--runtime',
      'local',
      '--nodes',
      '3',
      '--nemesis',
      'partition,pause',
      '--nemesis-interval',
      '2',
      '--time-limit',
      '60',
      '--store',
      store,
      '--name',
      'killed',
    ]);
    // Wait until ops are being recorded, then kill the runner outright.
    const deadline = Date.now() + 120_000;
    let history: ReturnType<typeof readHistory> = [];
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        history = readHistory(latestRun(store, 'killed'));
      } catch {
        continue;
      }
      if (history.filter((e) => e.type === 'ok').length >= 200) break;
    }
    child.kill('SIGKILL');
    await child;
    expect(history.filter((e) => e.type === 'ok').length).toBeGreaterThanOrEqual(200);
    const run = latestRun(store, 'killed');
    const check = await splitbrain(['check', '--model', 'kv', path.join(run, 'history.jsonl')]);
    expect(check.exitCode, check.all).toBe(0);
    const analyze = await splitbrain(['analyze', run]);
    expect(analyze.exitCode, analyze.all).toBe(0);

    // The killed runner could not tear down: its nodes are still there until cluster clean.
    const runId = runIdOf(run);
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
    try {
      expect(processesOfRun(runId).length).toBeGreaterThan(0);
      const clean = await splitbrain(['cluster', 'clean', '--run', runId], { timeoutMs: 120_000 });
      expect(clean.exitCode, clean.all).toBe(0);
      expect(processesOfRun(runId)).toEqual([]);
      expect(await namespacesOfRun(runId)).toEqual([]);
    } finally {
      // Whatever the assertions say, leave nothing of this run behind (and only of this run).
      await new LocalRuntime().clean(runId);
    }
  }, 300_000);
});
