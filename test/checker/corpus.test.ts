import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { readHistory } from '../../src/history/index.js';
import { CORPUS_DIR, CORPUS_PRESENT, corpusEntries } from './corpus.js';

// The corpus lives in ../shared, which is not part of the repo; without it there is nothing to check.
describe.skipIf(!CORPUS_PRESENT)(`Porcupine's recorded histories (${CORPUS_DIR})`, () => {
  const entries = CORPUS_PRESENT ? corpusEntries() : [];

  it('are all 108 non-empty histories', () => {
    expect(entries).toHaveLength(108);
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s gets the verdict FORMAT.md lists', async (_name, entry) => {
    const history = await readHistory(entry.path, entry.format);
    const result = await check(history.events, { model: entry.model, file: entry.path });
    expect(result.valid).toBe(entry.expected);
    if (entry.expected === false) {
      const cx = result.counterexample!;
      expect(cx.ops.some((op) => op.id === cx.failedOp)).toBe(true);
      expect(cx.explanation.length).toBeGreaterThan(40);
    }
  });

  it('reports the empty etcd_095 as trivially linearizable with 0 ops', async () => {
    const history = await readHistory(join(CORPUS_DIR, 'jepsen/etcd_095.log'), 'porcupine-etcd');
    const result = await check(history.events, { model: 'cas-register' });
    expect(result).toMatchObject({ valid: true, ops: 0 });
  });
});
