/**
 * A JUnit XML report for CI systems: one test suite, one test case per run (or checked file), failed when
 * the history is not linearizable (the counterexample's explanation is the message), errored
 * when the verdict is unknown or the run broke.
 */
import type { RunResults } from './results.js';

/** Escapes text for XML attribute values and element content. */
export function escapeXml(text: string): string {
  return (
    text
      // XML 1.0 forbids these control characters even when escaped, so they are dropped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** What a JUnit test case says beyond the results: where the run's report is. */
export interface JunitCase {
  results: RunResults;
  /** The run's report.html, printed as a `[[ATTACHMENT|path]]` line CI plugins pick up. */
  reportPath?: string;
  /** False for a check of a file, which has no seed; default true. */
  seeded?: boolean;
}

/** Renders the JUnit XML document for a run's results: one suite with one case. */
export function junitXml(results: RunResults, reportPath?: string): string {
  return junitXmlOf('splitbrain', [{ results, ...(reportPath !== undefined ? { reportPath } : {}) }]);
}

/** Renders one JUnit suite named `suite` with one test case per run or checked file. */
export function junitXmlOf(suite: string, cases: readonly JunitCase[]): string {
  const seconds = (c: JunitCase): number => (Date.parse(c.results.finishedAt) - Date.parse(c.results.startedAt)) / 1000;
  const total = cases.reduce((sum, c) => sum + seconds(c), 0).toFixed(3);
  const failures = cases.filter((c) => c.results.valid === false).length;
  const errors = cases.filter((c) => c.results.valid === 'unknown').length;
  const startedAt = cases[0]?.results.startedAt ?? new Date().toISOString();
  const name = escapeXml(cases.length === 1 ? cases[0]!.results.name : suite);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="splitbrain" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${total}">\n` +
    `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${total}" timestamp="${escapeXml(startedAt)}">\n` +
    cases.map((c) => testcaseXml(c, seconds(c).toFixed(3))).join('') +
    `  </testsuite>\n` +
    `</testsuites>\n`
  );
}

/** One test case: failed with the counterexample when not linearizable, errored when unknown. */
function testcaseXml({ results, reportPath, seeded = true }: JunitCase, seconds: string): string {
  const s = results.stats;
  const name = escapeXml(results.name);
  const seed = seeded ? `, seed ${results.seed}` : '';
  const summary = `${s.ops} ops (${s.byType.ok} ok, ${s.byType.fail} fail, ${s.byType.info} info)${seed}`;
  let body = '';
  if (results.valid === false) {
    const ce = results.check?.counterexample;
    const where = ce?.key !== undefined ? ` on key ${JSON.stringify(ce.key)}` : '';
    const message = `not linearizable${where}: ${ce?.explanation ?? 'a counterexample was found'}`;
    body = `      <failure type="not-linearizable" message="${escapeXml(message)}">${escapeXml(message + '\n' + summary)}</failure>\n`;
  } else if (results.valid === 'unknown') {
    const message = results.error ?? `verdict unknown${results.check?.reason ? ` (${results.check.reason})` : ''}`;
    const type = results.exitCode === 3 ? 'infrastructure' : 'unknown';
    body = `      <error type="${type}" message="${escapeXml(message)}">${escapeXml(message + '\n' + summary)}</error>\n`;
  }
  const out = [summary, `command: ${results.command.join(' ')}`];
  if (reportPath !== undefined) out.push(`report: ${reportPath}`, `[[ATTACHMENT|${reportPath}]]`);
  body += `      <system-out>${escapeXml(out.join('\n'))}</system-out>\n`;
  const title = seeded ? `${results.name} (seed ${results.seed}) is linearizable` : `${results.name} is linearizable`;
  return (
    `    <testcase classname="splitbrain.${name}" name="${escapeXml(title)}" time="${seconds}">\n` +
    body +
    `    </testcase>\n`
  );
}
