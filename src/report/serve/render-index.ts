import { escapeHtml } from '../escape-html.js';
import type { StoredRun } from './list-runs.js';

/** Encodes a store-relative path for an href, one segment at a time. */
export function hrefOf(path: string): string {
  return '/' + path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Renders the store index: one row per run, newest first, coloured by verdict, with a filter by
 * test name and links to each run's report and files. Names come from the file system and
 * results.json, so everything is escaped; the filter reads names from data attributes.
 */
export function renderStoreIndex(store: string, runs: readonly StoredRun[]): string {
  const rows = runs
    .map((run) => {
      const files = run.files
        .map((f) => `<a href="${escapeHtml(hrefOf(`${run.path}/${f}`))}">${escapeHtml(f)}</a>`)
        .join(' ');
      const report = run.report
        ? `<a class="report" href="${escapeHtml(hrefOf(run.report))}">report</a>`
        : '<span class="muted">no report</span>';
      return `<tr class="run ${run.verdict}" data-test="${escapeHtml(run.test)}">
<td><span class="badge">${escapeHtml(run.verdict)}</span></td>
<td class="test">${escapeHtml(run.test)}</td>
<td class="mono">${escapeHtml(run.startedAt ?? run.timestamp)}</td>
<td class="duration">${run.durationS === undefined ? '' : `${run.durationS} s`}</td>
<td class="seed mono">${run.seed === undefined ? '' : escapeHtml(String(run.seed))}</td>
<td class="faults">${escapeHtml(run.faults === undefined ? '' : run.faults.join(', ') || 'none')}</td>
<td class="bugs">${escapeHtml(run.bugs === undefined ? '' : run.bugs.join(', ') || 'none')}</td>
<td>${run.ops === undefined ? '' : escapeHtml(String(run.ops))}</td>
<td>${report}</td>
<td class="files">${files}${run.error ? `<div class="error">${escapeHtml(run.error)}</div>` : ''}</td>
</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>splitbrain runs</title>
<style>
body { font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; margin: 20px; color: #1d2330; background: #f7f8fa; }
table { border-collapse: collapse; background: #fff; }
th, td { border-bottom: 1px solid #e3e6eb; padding: 5px 10px; text-align: left; vertical-align: top; }
.badge { display: inline-block; min-width: 64px; text-align: center; padding: 1px 8px; border-radius: 4px; color: #fff; background: #78909c; }
tr.valid .badge { background: #2e7d32; } tr.invalid .badge { background: #c62828; }
tr.unknown .badge { background: #8d6e00; } tr.crashed .badge { background: #4e342e; }
tr.error .badge { background: #37474f; }
tr.invalid td.test { color: #c62828; font-weight: 600; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.files a { margin-right: 8px; font-size: 12.5px; } .muted, .error { color: #6b7580; } .error { font-size: 12px; }
input { font: inherit; padding: 4px 8px; width: 260px; margin: 0 0 12px; }
</style></head>
<body>
<h1>splitbrain runs</h1>
<p class="muted">Store: <code>${escapeHtml(store)}</code> · ${runs.length} run${runs.length === 1 ? '' : 's'}, newest first</p>
<input id="filter" type="search" placeholder="Filter by test name" aria-label="Filter by test name">
<table id="runs">
<tr><th>verdict</th><th>test</th><th>started</th><th>duration</th><th>seed</th><th>faults</th><th>bugs</th><th>ops</th><th>report</th><th>files</th></tr>
${rows || '<tr><td colspan="10" class="muted">No runs in this store yet.</td></tr>'}
</table>
<script>
(function () {
  var input = document.getElementById('filter');
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    document.querySelectorAll('tr.run').forEach(function (tr) {
      tr.hidden = q !== '' && tr.getAttribute('data-test').toLowerCase().indexOf(q) < 0;
    });
  });
})();
</script>
</body></html>
`;
}
