/**
 * `splitbrain test` end to end in Docker: five containers on an internal bridge, the same faults
 * as the local run, and nothing left behind afterwards (no container, no network).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../cluster/runtime/index.js';
import {
  build,
  dockerAvailable,
  dockerLeftovers,
  faultKinds,
  latestRun,
  readHistory,
  readResults,
  runIdOf,
  splitbrain,
} from './test-command-helpers.js';

const docker = await dockerAvailable();
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-docker-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe.skipIf(!docker)('splitbrain test --runtime docker (needs a docker engine)', () => {
  it('runs 30 s of kv load on 5 raftkv containers under four kinds of faults, finds it linearizable and leaves nothing behind', async () => {
    const r = await splitbrain(
      [
        'test',
        '--runtime',
        'docker',
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
        '23',
        '--store',
        store,
      ],
      { timeoutMs: 600_000 },
    );
    const run = latestRun(store, 'raftkv-kv');
    const runId = runIdOf(run);
    try {
      expect(r.exitCode, r.all).toBe(0);
      const results = readResults(run);
      expect(results.valid).toBe(true);
      expect(results.stats.byType.ok).toBeGreaterThanOrEqual(500);
      expect([...faultKinds(readHistory(run))].sort()).toEqual(['clock', 'kill', 'partition', 'pause']);
      expect((await dockerLeftovers()).filter((name) => name.includes(runId))).toEqual([]);
    } finally {
      // Only this run's leftovers, whatever happened: other runs may be going on beside us.
      if (/^[0-9a-f]{8}$/.test(runId)) await new DockerRuntime().clean(runId);
    }
  }, 700_000);
});
