/**
 * A real anomaly in a real system: etcd 3.4 with serializable reads under partitions. A
 * serializable range is answered from the receiving node's own copy without asking the quorum,
 * so a node cut off from the majority keeps answering reads with the value it had while the
 * majority takes new writes: a stale read the checker must catch. The same schedule with etcd's
 * default linearizable reads is the control.
 *
 * The schedule makes the stale read near certain: 3 nodes (every partition shape the nemesis
 * draws for 3 nodes cuts off one node, or gives each node only a majority), partitions held
 * about 3 s, and the kv workload's 10 clients spread over the nodes (each key's 5 workers span
 * all three), so the isolated node keeps serving its clients the values it had, or none for a
 * fresh key, for seconds while the majority's clients write. The kv workload rather than one
 * register: writes to the isolated node time out as `info`, and dozens of those on one register
 * can make the search run out of memory (verdict unknown, seen once); per key they stay few.
 *
 * Still not certain: of 9 runs with seed 1, 7 were invalid and 2 valid (the timing gave no read
 * on the cut-off node after a majority write to the same key). So the test makes
 * up to 3 runs, each with its own seed, and asserts at least one is invalid and none is anything
 * but valid or invalid.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, readResults, runLocalTest, splitbrain, type LocalRun } from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const hasEtcd = existsSync('/usr/bin/etcd');
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-etcd-serializable-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

/** Runs etcd on 3 local nodes under partitions for 20 s, with extra flags; returns the exit, output and run folder. */
function runEtcd(name: string, seed: number, extra: string[]): Promise<LocalRun> {
  const flags = [
    '--db',
    'etcd',
    '--nodes',
    '3',
    '--nemesis',
    'partition',
    '--nemesis-interval',
    '3',
    '--time-limit',
    '20',
  ];
  return runLocalTest(store, name, seed, [...flags, ...extra]);
}

describe('splitbrain test --read-consistency', () => {
  it('refuses serializable reads for raftkv with a usage error naming the choices', async () => {
    const r = await splitbrain(['test', '--db', 'raftkv', '--read-consistency', 'serializable', '--store', store]);
    expect(r.exitCode, r.all).toBe(64);
    expect(r.all).toContain(
      '--read-consistency serializable is not offered by --db raftkv; choose one of: linearizable',
    );
  });

  it('refuses a read consistency etcd does not have, listing the ones it has', async () => {
    const r = await splitbrain(['test', '--db', 'etcd', '--read-consistency', 'stale', '--store', store]);
    expect(r.exitCode, r.all).toBe(64);
    expect(r.all).toContain('choose one of: linearizable, serializable');
  });

  describe.skipIf(!isRoot || !hasEtcd)('on etcd under partitions (needs root for namespaces and /usr/bin/etcd)', () => {
    it('finds stale reads and exits 1 when etcd reads are serializable', async () => {
      const runs: Awaited<ReturnType<typeof runEtcd>>[] = [];
      for (const seed of [1, 2, 3]) {
        const r = await runEtcd(`etcd-serializable-${seed}`, seed, ['--read-consistency', 'serializable']);
        runs.push(r);
        expect([0, 1], r.all).toContain(r.exitCode);
        if (r.exitCode === 1) break;
      }
      console.info(`etcd with serializable reads: exit codes ${runs.map((r) => r.exitCode).join(', ')}`);
      const invalid = runs.find((r) => r.exitCode === 1);
      expect(invalid, `exit codes ${runs.map((r) => r.exitCode).join(', ')}`).toBeDefined();
      const results = readResults(invalid!.run);
      expect(results.valid).toBe(false);
      expect(results.test.readConsistency).toBe('serializable');
      expect(results.command).toContain('--read-consistency');
      // The op the search fails at may be a later write or cas on the key, not the stale read itself.
      expect(results.check?.counterexample?.explanation).toBeTruthy();
      expect(results.stats.nemesisEvents['start-partition']).toBeGreaterThan(0);
    }, 900_000);

    it('reads linearizably by default and finds the same schedule linearizable', async () => {
      const r = await runEtcd('etcd-linearizable', 1, []);
      expect(r.exitCode, r.all).toBe(0);
      const results = readResults(r.run);
      expect(results.valid).toBe(true);
      expect(results.test.readConsistency).toBe('linearizable');
      expect(results.stats.byF.read?.ok).toBeGreaterThan(0);
      expect(results.stats.nemesisEvents['start-partition']).toBeGreaterThan(0);
    }, 300_000);
  });
});
