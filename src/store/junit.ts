/**
 * A JUnit XML report of one run, for CI systems: one test suite with one test case, failed when
 * the history is not linearizable (the counterexample's explanation is the message), errored
 * when the verdict is unknown or the run broke.
 */
import type { RunResults } from './results.js';

/** Escapes text for XML attribute values and element content. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Renders the JUnit XML document for a run's results. */
export function junitXml(results: RunResults): string {
  const seconds = ((Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 1000).toFixed(3);
  const s = results.stats;
  const name = escapeXml(results.name);
  const summary = `${s.ops} ops (${s.byType.ok} ok, ${s.byType.fail} fail, ${s.byType.info} info), seed ${results.seed}`;
  let body = '';
  let failures = 0;
  let errors = 0;
  if (results.valid === false) {
    failures = 1;
    const ce = results.check?.counterexample;
    const where = ce?.key !== undefined ? ` on key ${JSON.stringify(ce.key)}` : '';
    const message = `not linearizable${where}: ${ce?.explanation ?? 'a counterexample was found'}`;
    body = `      <failure type="not-linearizable" message="${escapeXml(message)}">${escapeXml(message + '\n' + summary)}</failure>\n`;
  } else if (results.valid === 'unknown') {
    errors = 1;
    const message = results.error ?? `verdict unknown${results.check?.reason ? ` (${results.check.reason})` : ''}`;
    const type = results.exitCode === 3 ? 'infrastructure' : 'unknown';
    body = `      <error type="${type}" message="${escapeXml(message)}">${escapeXml(message + '\n' + summary)}</error>\n`;
  }
  body += `      <system-out>${escapeXml(`${summary}\ncommand: ${results.command.join(' ')}`)}</system-out>\n`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="splitbrain" tests="1" failures="${failures}" errors="${errors}" time="${seconds}">\n` +
    `  <testsuite name="${name}" tests="1" failures="${failures}" errors="${errors}" skipped="0" time="${seconds}" timestamp="${escapeXml(results.startedAt)}">\n` +
    `    <testcase classname="splitbrain.${name}" name="${escapeXml(`${name} is linearizable`)}" time="${seconds}">\n` +
    body +
    `    </testcase>\n` +
    `  </testsuite>\n` +
    `</testsuites>\n`
  );
}
