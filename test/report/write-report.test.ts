import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { writeReport } from '../../src/report/index.js';
import { renderReportHtml } from '../../src/report/write-report.js';
import { largeHistory } from './large-history.js';
import { staleReadHistory } from './sample-history.js';

const dir = mkdtempSync(join(tmpdir(), 'splitbrain-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The JSON embedded in a report, parsed back as the page script would. */
function embedded(html: string): Record<string, unknown> {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no embedded report data');
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

describe('writeReport', () => {
  it('writes one self-contained page: no external script, style, font or image', async () => {
    const { events, result } = staleReadHistory();
    const written = await writeReport(dir, { result, events, command: 'splitbrain check stale-read.jsonl' });
    const html = readFileSync(written.path, 'utf8');
    expect(written.path).toBe(join(dir, 'index.html'));
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).toContain('uPlot');
    expect(html).toContain('splitbrain check stale-read.jsonl');
  });

  it('shows an invalid history with a counterexample section and an explanation the checker did not write', async () => {
    const { events, result } = staleReadHistory();
    const { html } = await renderReportHtml({ result, events, command: 'splitbrain check x', recheck: null });
    expect(html).toContain('id="counterexample"');
    const data = embedded(html) as { counterexample: { explanation: string; minimized: { failedOp: number } } };
    expect(data.counterexample.minimized.failedOp).toBe(3);
    expect(data.counterexample.explanation).toMatch(
      /^read -> 1 \(op 7, process 0\) began at 9\.0 ms, after write 2 \(op 4\)/,
    );
    expect(data.counterexample.explanation).toMatch(/write 2 \(op 4\) began after write 1 \(op 0\) had completed/);
  });

  it('shrinks the counterexample with the real checker to ops that still cannot be linearized', async () => {
    const { events } = staleReadHistory();
    const result = await check(events, { model: 'register' });
    expect(result.valid).toBe(false);
    const { html, minimized } = await renderReportHtml({ result, events, command: 'splitbrain check x' });
    expect(minimized).not.toBeNull();
    const small = minimized!.counterexample;
    expect(small.ops.length).toBeLessThan(result.counterexample!.ops.length);
    expect(minimized!.minimal).toBe(true);
    const recheck = await check(
      small.ops.map((op, id) => ({ ...op, id })),
      { model: 'register' },
    );
    expect(recheck.valid).toBe(false);
    const original = new Set(result.counterexample!.ops.map((op) => op.invokeIndex));
    for (const op of small.ops) expect(original.has(op.invokeIndex)).toBe(true);
    const data = embedded(html) as { counterexample: { minimized: { ops: unknown[] }; full: { ops: unknown[] } } };
    expect(data.counterexample.minimized.ops).toHaveLength(small.ops.length);
    expect(data.counterexample.full.ops).toHaveLength(result.counterexample!.ops.length);
  });

  it('leaves the counterexample out of a valid report', async () => {
    const { events, result } = staleReadHistory();
    const { counterexample: _cx, ...rest } = result;
    const { html } = await renderReportHtml({
      result: { ...rest, valid: true },
      events,
      command: 'splitbrain check x',
    });
    expect(html).not.toContain('id="counterexample"');
    expect(html).toContain('Linearizable');
  });

  it('escapes hostile history values so they cannot add a script or break out of an attribute', async () => {
    const evil = `</script><script>window.pwned=1</script><img src=x onerror="alert(1)">'"&`;
    const { events, result } = staleReadHistory(evil);
    const { html } = await renderReportHtml({
      result,
      events,
      command: `splitbrain check "${evil}"`,
      title: evil,
      runInfo: { nemesis: evil },
      files: ['javascript:alert(1)', 'history.jsonl'],
    });
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('href="./javascript:alert(1)"');
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).not.toContain('window.pwned=1</script>');
    expect(html).not.toMatch(/<img/);
    const data = embedded(html) as { history: { rows: unknown[][] } };
    // The third client op is the write of the hostile value (nemesis rows sit among the ops).
    expect(data.history.rows.filter((row) => row[1] !== 'nemesis')[2]![4]).toBe(evil);
  });

  it('keeps the report of a 100,000-op history under 20 MB', async () => {
    const { events, result } = largeHistory(100_000);
    const written = await writeReport(join(dir, 'large'), {
      result,
      events,
      command: 'splitbrain test',
      fileName: 'report.html',
      recheck: null,
    });
    expect(written.path.endsWith('report.html')).toBe(true);
    expect(written.bytes).toBeLessThan(20 * 1024 * 1024);
    const data = embedded(readFileSync(written.path, 'utf8')) as {
      counterexample: { full: { ops: unknown[]; omittedBefore: number; omittedAfter: number } };
      history: { rows: unknown[][] };
      plots: unknown;
    };
    expect(data.history.rows.filter((row) => row[1] !== 'nemesis')).toHaveLength(100_000);
    // Every op pairs with its own completion: the only info rows are the timed-out writes.
    const infoRows = data.history.rows.filter((row) => row[1] === 'info').length;
    expect(infoRows).toBe(result.counterexample!.ops.filter((op) => op.status === 'info').length);
    expect(data.counterexample.full.ops.length).toBeLessThanOrEqual(300);
    const { full } = data.counterexample;
    expect(full.omittedBefore + full.omittedAfter).toBe(result.counterexample!.ops.length - full.ops.length);
    expect(data.plots).not.toBeNull();
    console.log(`100,000-op report: ${(written.bytes / 1024 / 1024).toFixed(1)} MB`);
  });
});
