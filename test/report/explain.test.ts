import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { parsePorcupineEtcd } from '../../src/history/importers/index.js';
import { renderReportHtml } from '../../src/report/write-report.js';
import { CORPUS_DIR, CORPUS_PRESENT } from '../checker/corpus.js';
import { staleReadHistory } from './sample-history.js';

/** The explanation a report shows, as embedded in its data. */
async function shown(input: Parameters<typeof renderReportHtml>[0]): Promise<{ text: string; drawn: number[] }> {
  const { html } = await renderReportHtml(input);
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  const data = JSON.parse(m![1]!) as {
    counterexample: { explanation: string; minimized: { ops: { invokeIndex: number }[] } };
  };
  return {
    text: data.counterexample.explanation,
    drawn: data.counterexample.minimized.ops.map((op) => op.invokeIndex),
  };
}

describe("the report's explanation", () => {
  it("is the checker's sentence for the counterexample drawn, with the report's time format", async () => {
    const { events, result } = staleReadHistory();
    const { text } = await shown({ result, events, command: 'x', recheck: null });
    expect(text).toBe(
      'read -> 1 (op 7, process 0) began at 9.0 ms, after write 2 (op 4) by process 1 had completed at 8.0 ms; ' +
        'no op that writes 1 ran in between, as write 2 (op 4) began after write 1 (op 0) had completed. ' +
        "So the register could no longer hold 1 after 8.0 ms, up to the read's return at 10.0 ms.",
    );
  });

  it('says a value nobody wrote was never written', async () => {
    const { events, result } = staleReadHistory();
    const cx = result.counterexample!;
    const ops = cx.ops.map((op) => (op.id === 3 ? { ...op, output: 7 } : op));
    const { text } = await shown({
      result: { ...result, counterexample: { ...cx, ops } },
      events,
      command: 'x',
      recheck: null,
    });
    expect(text).toBe(
      'There is no op that writes 7 in the history, and the register starts at null, ' +
        'so read -> 7 (op 7, process 0, between 9.0 ms and 10.0 ms) is impossible.',
    );
  });

  it('names only ops the minimized picture draws, by their position in the history', async () => {
    const { events } = staleReadHistory();
    const result = await check(events, { model: 'register' });
    const { text, drawn } = await shown({ result, events, command: 'x' });
    const named = [...text.matchAll(/\bop (\d+)\b/g)].map((m) => Number(m[1]));
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) expect(drawn).toContain(id);
    expect(text).toMatch(
      /So the register could no longer hold 1 after [\d.]+ ms, up to the read's return at 10\.0 ms\.$/,
    );
  });
});

// The corpus lives in ../shared, which is not part of the repo; without it there is no etcd history to shrink.
describe.skipIf(!CORPUS_PRESENT)("the report's explanation of a shrunk etcd counterexample", () => {
  it("gives the checker's reason but names only ops the picture draws", async () => {
    const file = join(CORPUS_DIR, 'jepsen', 'etcd_000.log');
    const { events } = parsePorcupineEtcd(readFileSync(file, 'utf8'), 'etcd_000.log');
    const result = await check(events, { model: 'cas-register' });
    const { text, drawn } = await shown({
      result,
      events,
      command: 'x',
      // Generous budgets, so the shrinking runs to the end even on a loaded machine.
      minimize: { budgetMs: 120_000, checkBudgetMs: 20_000 },
    });
    expect(drawn.length).toBeLessThan(result.counterexample!.ops.length);
    const named = [...text.matchAll(/\bop (\d+)\b/g)].map((m) => Number(m[1]));
    for (const id of named) expect(drawn).toContain(id);
    // The same cause leads both (the failed op, the write that made it stale, the value it could not
    // see); the times differ only in format, the report writing an imported log's lines as t=N.
    const cause = (s: string): string[] | undefined =>
      /^(.+?) began at [^,]+, after (.+?) by process (\d+) had completed at .+ So the register could no longer hold (\S+) after /
        .exec(s)
        ?.slice(1);
    expect(cause(result.counterexample!.explanation)).toBeDefined();
    expect(cause(text)).toEqual(cause(result.counterexample!.explanation));
  }, 180_000);
});
