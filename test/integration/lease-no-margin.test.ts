/**
 * The clock nemesis catches `lease-no-margin`: a raftkv leader that times its read lease on the
 * wall clock with no drift margin. The default schedule's lease step (issue 11) runs the leader's
 * clock ahead, steps it back and cuts the leader off at once; the deposed leader then believes its
 * lease runs seconds longer than it does and answers reads locally while a new leader takes writes,
 * and the readers pinned to it record those stale reads.
 *
 * Not every run draws a lease step early enough with a write on the same key: like the other
 * detection tests, up to 3 seeded runs are made and at least one must exit 1, none anything but
 * 0 or 1. The same schedule on a correct raftkv is the control and must be valid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, readResults, runLocalTest, type LocalRun } from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-lease-no-margin-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

/** Runs raftkv on 5 local nodes under clock faults and partitions for 30 s; returns the exit, output and run folder. */
function runRaftkv(name: string, seed: number, extra: string[]): Promise<LocalRun> {
  const flags = ['--db', 'raftkv', '--nodes', '5', '--nemesis', 'clock,partition', '--time-limit', '30'];
  return runLocalTest(store, name, seed, [...flags, ...extra]);
}

describe.skipIf(!isRoot)('raftkv lease-no-margin under the clock nemesis (needs root for namespaces)', () => {
  it('finds the stale reads of a leader whose stepped-back clock kept its lease, and exits 1', async () => {
    const runs: Awaited<ReturnType<typeof runRaftkv>>[] = [];
    for (const seed of [1, 2, 3]) {
      const r = await runRaftkv(`lease-no-margin-${seed}`, seed, ['--bug', 'lease-no-margin']);
      runs.push(r);
      expect([0, 1], r.all).toContain(r.exitCode);
      if (r.exitCode === 1) break;
    }
    console.info(`lease-no-margin: exit codes ${runs.map((r) => r.exitCode).join(', ')}`);
    const invalid = runs.find((r) => r.exitCode === 1);
    expect(invalid, `exit codes ${runs.map((r) => r.exitCode).join(', ')}`).toBeDefined();
    const results = readResults(invalid!.run);
    expect(results.valid).toBe(false);
    expect(results.check?.counterexample?.explanation).toBeTruthy();
    expect(results.firstAnomalyS).toBeGreaterThan(0);
    expect(results.stats.nemesisEvents['bump-clock']).toBeGreaterThan(0);
  }, 900_000);

  it('finds the same schedule linearizable on a correct raftkv', async () => {
    const r = await runRaftkv('lease-control', 1, []);
    expect(r.exitCode, r.all).toBe(0);
    expect(readResults(r.run).valid).toBe(true);
  }, 300_000);
});
