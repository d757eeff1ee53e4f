import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/write-report.js';
import type { ReportData } from '../../src/report/report-data.js';
import { staleReadHistory } from './sample-history.js';

describe("the report's full-history table", () => {
  it('shows nemesis events as rows among the ops, in history order, and still marks the failed op', async () => {
    const { events, result } = staleReadHistory();
    const { html } = await renderReportHtml({ result, events, command: 'x', recheck: null });
    const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
    const data = JSON.parse(m![1]!) as ReportData;
    const rows = data.history.rows;
    expect(rows.map((r) => [r[0], r[2], r[10]])).toEqual([
      [0, 'write', 0],
      ['nemesis', 'start-partition', 2],
      ['nemesis', 'start-partition', 3],
      [1, 'write', 4],
      [2, 'write', 5],
      [0, 'read', 7],
      ['nemesis', 'stop-partition', 10],
      ['nemesis', 'stop-partition', 11],
      [3, 'read', 12],
    ]);
    expect(data.history.failedRow).toBe(5);
    expect(html).toContain('Full history (5 ops, 4 nemesis events)');
  });
});
