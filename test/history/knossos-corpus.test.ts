import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { readHistory } from '../../src/history/index.js';
import { repoRoot } from '../checker/corpus.js';

// Knossos's own histories, EDN byte for byte as published plus their JSONL conversions, with the
// verdicts of Knossos's tests in expected.tsv. They live in ../shared, outside the repo.
const KNOSSOS_DIR = resolve(repoRoot(), '../shared/histories/knossos');
const PRESENT = existsSync(join(KNOSSOS_DIR, 'expected.tsv'));

interface Row {
  file: string;
  model: string;
  valid: boolean;
}

function rows(): Row[] {
  return readFileSync(join(KNOSSOS_DIR, 'expected.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file, model, verdict] = line.split('\t');
      return { file: file!, model: model!, valid: verdict === 'valid' };
    });
}

describe.skipIf(!PRESENT)(`Knossos's histories (${KNOSSOS_DIR}; skipped when ../shared is absent)`, () => {
  const all = PRESENT ? rows() : [];

  it('cover EDN as published and JSONL, good and bad', () => {
    expect(all.filter((r) => r.file.endsWith('.edn')).length).toBeGreaterThan(50);
    expect(all.filter((r) => !r.valid).length).toBeGreaterThanOrEqual(8);
  });

  it.each(all.map((r) => [r.file, r] as const))('%s gets the verdict expected.tsv lists', async (_file, row) => {
    const path = join(KNOSSOS_DIR, row.file);
    const history = await readHistory(path, row.file.endsWith('.edn') ? 'edn' : 'jsonl');
    const result = await check(history.events, { model: row.model, file: path, workers: 0 });
    expect(result.valid).toBe(row.valid);
  });

  it('reads the keyed memstress3.edn, jepsen.independent [key value] tuples, as 100 keys that the kv model finds valid', async () => {
    const edn = await readHistory(join(KNOSSOS_DIR, 'edn/independent/memstress3.edn'), 'edn');
    expect(edn.warnings.join()).toMatch(/\[key value\] tuple/);
    const keys = new Set(edn.events.map((e) => e.key));
    expect(keys.size).toBe(100);
    const result = await check(edn.events, { model: 'kv', workers: 0 });
    expect(result).toMatchObject({ valid: true, keys: 100 });
  });
});
