import { describeNs, type CheckResult } from '../../checker/index.js';
import { describeParameter } from './parameter-name.js';
import type { ReportAssets } from './assets.js';
import { embedJson, inlineSafe } from './embed-json.js';
import { escapeHtml } from './escape-html.js';
import type { ReportData } from './report-data.js';

/** What the summary at the top of a report says besides the check result itself. */
export interface ReportSummary {
  command: string;
  title?: string;
  /** Facts about the run (nodes, nemesis, seed, ...), shown as a table; values are untrusted text. */
  runInfo?: Record<string, unknown>;
  /** Files of the run to link to, relative to the report. */
  files?: string[];
  generatedAt: Date;
}

/**
 * Renders the whole report as one HTML document. The summary is written here as escaped HTML so
 * it reads even with scripts off; the timelines, table and plots are drawn by the inlined page
 * script from the JSON embedded with embedJson.
 */
export function renderReport(
  result: CheckResult,
  data: ReportData,
  summary: ReportSummary,
  assets: ReportAssets,
  /** Pre-rendered HTML shown below the counterexample (the message diagram). */
  counterexampleExtra = '',
): string {
  const title = summary.title ?? (result.file ? `Check of ${result.file}` : 'splitbrain check');
  const counts = { ok: 0, fail: 0, info: 0 };
  let nemesisEvents = 0;
  for (const row of data.history.rows) {
    if (row[1] === 'nemesis') nemesisEvents++;
    else counts[row[1]]++;
  }
  const clientOps = data.history.rows.length - nemesisEvents;
  const verdictText = { valid: 'Linearizable', invalid: 'Not linearizable', unknown: 'Unknown' }[data.verdict];
  const facts: [string, string][] = [
    ['Model', result.model],
    ['Operations', `${result.ops} checked; ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info`],
  ];
  if (result.keys !== undefined) facts.push(['Keys', String(result.keys)]);
  facts.push(['Check time', `${result.ms.toFixed(0)} ms`]);
  if (result.reason) facts.push([result.valid === 'unknown' ? 'Why unknown' : 'Why invalid', result.reason]);
  if (result.file) facts.push(['History', result.file]);
  if (data.faults.length > 0) facts.push(['Faults', describeFaults(data)]);
  for (const [name, value] of Object.entries(summary.runInfo ?? {})) {
    facts.push([describeParameter(name), typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  facts.push(['Report written', summary.generatedAt.toISOString()]);

  const rows = facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const warnings = (result.warnings ?? []).map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  const files = (summary.files ?? [])
    .map((f) => `<a href="${escapeHtml(relativeHref(f))}">${escapeHtml(f)}</a>`)
    .join(' · ');
  const tabs = [
    data.counterexample ? '<button type="button" data-tab="counterexample" class="active">Counterexample</button>' : '',
    data.plots
      ? `<button type="button" data-tab="plots"${data.counterexample ? '' : ' class="active"'}>Plots</button>`
      : '',
    `<button type="button" data-tab="history"${data.counterexample || data.plots ? '' : ' class="active"'}>Full history (${clientOps} ops${nemesisEvents > 0 ? `, ${nemesisEvents} nemesis events` : ''})</button>`,
  ].join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${verdictText}: ${title}`)}</title>
<style>${inlineSafe(assets.uplotCss, 'style')}</style>
<style>${inlineSafe(assets.reportCss, 'style')}</style>
</head>
<body class="verdict-${data.verdict}">
<header>
<h1><span class="verdict" id="verdict">${escapeHtml(verdictText)}</span> ${escapeHtml(title)}</h1>
<p class="command"><code id="command">${escapeHtml(summary.command)}</code></p>
<table class="summary" id="summary">${rows}</table>
${warnings ? `<ul class="warnings">${warnings}</ul>` : ''}
${files ? `<p class="files">Files: ${files}</p>` : ''}
</header>
<nav class="tabs">${tabs}</nav>
<main>
${
  data.counterexample
    ? `<section id="counterexample" class="tab-panel">
<h2>Why it is not linearizable${data.counterexample.key !== undefined ? ` (key <code>${escapeHtml(JSON.stringify(data.counterexample.key))}</code>)` : ''}</h2>
<p class="failed-op">Cannot be linearized: <strong id="failed-op">${escapeHtml(data.counterexample.failedOp)}</strong></p>
<p class="explanation" id="explanation">${escapeHtml(data.counterexample.explanation)}</p>
<div class="views" role="group" aria-label="Which ops to draw"></div>
<div class="timeline" id="timeline"></div>
<div class="legend" id="legend"></div>
<h3 id="linearization-title">Linearization found before the failure</h3>
<table class="linearization" id="linearization"></table>
${counterexampleExtra}
</section>`
    : ''
}
${data.plots ? '<section id="plots" class="tab-panel"><div id="throughput-plot"></div><div id="latency-plot"></div><div id="latency-quantile-plot"></div><p class="note" id="plots-note"></p></section>' : ''}
<section id="history" class="tab-panel"><div class="pager" id="pager"></div><div class="history-scroll"><table id="history-table"></table></div></section>
</main>
<div id="tooltip" role="tooltip" hidden></div>
<noscript><p>The timeline, the history table and the plots need JavaScript; the summary above does not.</p></noscript>
<script type="application/json" id="report-data">${embedJson(data)}</script>
<script>${inlineSafe(assets.uplotJs, 'script')}</script>
<script>${inlineSafe(assets.reportJs, 'script')}</script>
</body>
</html>
`;
}

function describeFaults(data: ReportData): string {
  const byKind = new Map<string, number>();
  for (const w of data.faults) byKind.set(w.kind, (byKind.get(w.kind) ?? 0) + 1);
  const first = data.faults[0];
  return (
    [...byKind].map(([kind, n]) => `${n} × ${data.faultStyles[kind]?.label ?? kind}`).join(', ') +
    (first ? ` (first at ${describeNs(first.start)})` : '')
  );
}

/** A link to a file next to the report; anything that looks like a URL scheme is made a relative path. */
function relativeHref(file: string): string {
  const href = encodeURI(file);
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') ? `./${href.replace(/^\/+/, '')}` : href;
}
