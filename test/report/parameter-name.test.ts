import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/write-report.js';
import { describeParameter } from '../../src/report/parameter-name.js';
import { staleReadHistory } from './sample-history.js';

describe("the report's run parameters", () => {
  it('are named in words with their unit, not by field name', () => {
    expect(describeParameter('timeLimitS')).toBe('Time limit (s)');
    expect(describeParameter('opTimeoutS')).toBe('Op timeout (s)');
    expect(describeParameter('readConsistency')).toBe('Read consistency');
    expect(describeParameter('db')).toBe('System under test');
    expect(describeParameter('seed')).toBe('Seed');
  });

  it('show in the summary table as words', async () => {
    const { events, result } = staleReadHistory();
    const { html } = await renderReportHtml({
      result,
      events,
      command: 'x',
      recheck: null,
      runInfo: { timeLimitS: 30, opTimeoutS: 2, readConsistency: 'linearizable' },
    });
    expect(html).toContain('<th>Time limit (s)</th><td>30</td>');
    expect(html).toContain('<th>Read consistency</th>');
    expect(html).not.toMatch(/<th>timeLimitS<\/th>/);
  });
});
