import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listRuns } from '../../../src/report/serve/list-runs.js';
import { renderStoreIndex } from '../../../src/report/serve/render-index.js';

const store = mkdtempSync(join(tmpdir(), 'splitbrain-serve-facts-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

function run(test: string, ts: string, results: object): void {
  const dir = join(store, test, ts);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
}

run('raftkv-kv-bug-stale-read', '20261201T100000.000Z', {
  valid: false,
  exitCode: 1,
  seed: 42,
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:31.500Z',
  test: { bugs: ['stale-read'] },
  nemesis: {
    faults: [
      { fault: 'partition', injected: 3 },
      { fault: 'clock', injected: 0 },
    ],
  },
  stats: { ops: 900 },
});
run('raftkv-kv', '20261201T110000.000Z', {
  valid: 'unknown',
  exitCode: 3,
  error: 'cluster did not elect a leader',
  seed: 7,
});
run('raftkv-kv', '20261201T120000.000Z', { valid: 'unknown', exitCode: 2, seed: 8, test: { bugs: [] } });

describe('the serve index', () => {
  it('shows seed, duration, injected faults and bugs, and tells a broken run from an unknown verdict', () => {
    const runs = listRuns(store);
    expect(runs.map((r) => [r.timestamp, r.verdict])).toEqual([
      ['20261201T120000.000Z', 'unknown'],
      ['20261201T110000.000Z', 'error'],
      ['20261201T100000.000Z', 'invalid'],
    ]);
    expect(runs[2]).toMatchObject({ seed: 42, durationS: 31.5, faults: ['partition'], bugs: ['stale-read'] });
    const html = renderStoreIndex(store, runs);
    expect(html).toContain('<th>seed</th>');
    expect(html).toMatch(
      /<td class="seed mono">42<\/td>\s*<td class="faults">partition<\/td>\s*<td class="bugs">stale-read<\/td>/,
    );
    expect(html).toContain('<td class="duration">31.5 s</td>');
    expect(html).toMatch(
      /<tr class="run error"[\s\S]*?<span class="badge">error<\/span>[\s\S]*?cluster did not elect a leader/,
    );
    expect(html).toMatch(/<tr class="run unknown"[\s\S]*?<td class="bugs">none<\/td>/);
  });
});
