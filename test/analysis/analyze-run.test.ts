/**
 * results.json times the first anomalous op over every key, not only on the key whose
 * counterexample the checker reports.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeRun, linearizabilityChecker, type RunFacts } from '../../src/analysis/index.js';
import { type HistoryEvent } from '../../src/history/index.js';
import { type RunResults } from '../../src/store/index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const S = 1e9;
let index = 0;
const op = (process: number, key: string, f: string, from: number, to: number, value: unknown): HistoryEvent[] => [
  { type: 'invoke', process, f, key, value: f === 'read' ? null : value, time: from * S, index: index++ },
  { type: 'ok', process, f, key, value, time: to * S, index: index++ },
];

const facts: RunFacts = {
  name: 'first-anomaly',
  startedAt: '2026-12-01T12:00:00.000Z',
  test: { workload: 'kv' },
  seed: 1,
  nemesis: {},
  phases: [],
  versions: {},
  command: ['splitbrain', 'test'],
};

describe('analyzeRun: first anomaly', () => {
  it('times the earliest anomalous op over every key, though the counterexample is of another key', async () => {
    // Key a comes first, so its counterexample is the one reported: a read of a value never
    // written, at 9 s. Key b's read of an overwritten value, at 3 s, is the first anomaly.
    const events = [
      ...op(0, 'a', 'write', 1, 1.1, 1),
      ...op(1, 'b', 'write', 1, 1.1, 1),
      ...op(1, 'b', 'write', 2, 2.1, 2),
      ...op(1, 'b', 'read', 3, 3.1, 1),
      ...op(0, 'a', 'read', 9, 9.1, 7),
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'splitbrain-analyze-'));
    dirs.push(dir);
    const { results } = await analyzeRun({
      dir,
      events,
      checker: linearizabilityChecker(),
      model: 'kv',
      facts,
      runWindow: { from: 0.5 * S, to: 10 * S },
    });
    expect(results.check?.counterexample?.key).toBe('a');
    expect(results).toMatchObject({ valid: false, runStartNs: 0.5 * S, firstAnomalyS: 2.5, firstAnomalyKey: 'b' });
    const written = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as RunResults;
    expect(written).toMatchObject({ firstAnomalyS: 2.5, firstAnomalyKey: 'b' });
  });
});
