import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { writeCheckReports } from '../../src/report/index.js';
import { staleReadHistory } from './sample-history.js';

const dir = mkdtempSync(join(tmpdir(), 'splitbrain-check-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('splitbrain check --report', () => {
  it('writes DIR/index.html for one history', async () => {
    const { events } = staleReadHistory();
    const result = await check(events, { model: 'register', file: 'a/run.jsonl' });
    const [written] = await writeCheckReports(
      join(dir, 'one'),
      [{ file: 'a/run.jsonl', result, history: { events } }],
      'splitbrain check --report one a/run.jsonl',
    );
    expect(written!.path).toBe(join(dir, 'one', 'index.html'));
    expect(readFileSync(written!.path, 'utf8')).toContain('splitbrain check --report one a/run.jsonl');
  });

  it('gives each of several histories its own folder, even when two share a file name', async () => {
    const { events } = staleReadHistory();
    const result = await check(events, { model: 'register' });
    const files = ['x/history.jsonl', 'y/history.jsonl', 'odd name?.log'];
    const written = await writeCheckReports(
      join(dir, 'many'),
      files.map((file) => ({ file, result, history: { events } })),
      'splitbrain check',
    );
    expect(written.map((w) => w.path)).toEqual([
      join(dir, 'many', 'history.jsonl', 'index.html'),
      join(dir, 'many', 'history.jsonl-2', 'index.html'),
      join(dir, 'many', 'odd_name_.log', 'index.html'),
    ]);
    for (const w of written) expect(existsSync(w.path)).toBe(true);
  });
});
