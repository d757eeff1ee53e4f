/**
 * `npm run matrix`: the proof that a green verdict means something. Runs the default test once per
 * seed for every injected raftkv bug, N runs each (default 5), plus N clean controls, one run at a
 * time, and prints per bug: caught n/N (exit 1), the median and worst time from the start of the
 * run phase to the first anomaly (results.json's first anomalous op, the earliest over every key,
 * or a node dying by itself if that came first), and the faults in force then. The table is
 * written as Markdown into the run store (`<store>/matrix-<time>.md`), and each run's row is
 * appended to `<store>/matrix-<time>.jsonl` as it finishes, so a matrix cut short keeps what it
 * measured.
 *
 *   npm run matrix -- [--runs 5] [--controls 10] [--time-limit 60] [--runtime local]
 *                     [--bugs vote-term-only,stale-read,...] [--store store/matrix] [--seed 1]
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeFaultWindows } from '../../nemesis/summary.js';
import { type HistoryEvent } from '../../src/history/index.js';

/** The bugs the default test must catch (issue 11), then the one studied on its own (commit-old-term). */
export const MATRIX_BUGS = [
  'vote-term-only',
  'stale-read',
  'leader-local-read',
  'ack-before-persist',
  'lease-no-margin',
  'commit-old-term',
] as const;

/**
 * How commit-old-term is caught (item 8 of issue 11, docs/bugs.md): the figure-8 move, alone,
 * against raftkv nodes that send a catching-up follower one entry per round trip.
 */
export const FIGURE8_SETUP = ['--nemesis', 'figure-8', '--max-entries-per-msg', '1', '--max-inflight-msgs', '1'];

/** One kind of run: a bug (null for a clean control), on the default test or under the figure-8 setup. */
export interface MatrixCase {
  bug: string | null;
  figure8: boolean;
}

/** The table row a case's runs are counted in. */
export function caseLabel(c: MatrixCase): string {
  return `${c.bug ?? '(control)'}${c.figure8 ? ' + figure-8' : ''}`;
}

/** One run of the matrix. */
export interface MatrixRun {
  bug: string | null;
  /** Run under FIGURE8_SETUP instead of `--nemesis all`. */
  figure8?: boolean;
  seed: number;
  exitCode: number;
  seconds: number;
  firstAnomalyS?: number;
  faultsThen?: string[];
  reason?: string;
  runDir?: string;
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');

/** Runs one test and reads back what it found. */
function runOne(c: MatrixCase, seed: number, o: { timeLimit: string; runtime: string; store: string }): MatrixRun {
  const { bug, figure8 } = c;
  const args = [cli, 'test', '--runtime', o.runtime, '--db', 'raftkv', '--nodes', '5', '--workload', 'kv'];
  args.push(...(figure8 ? FIGURE8_SETUP : ['--nemesis', 'all']));
  args.push('--time-limit', o.timeLimit, '--seed', String(seed), '--store', o.store);
  if (bug !== null) args.push('--bug', bug);
  args.push('--name', `matrix-${bug ?? 'control'}${figure8 ? '-figure-8' : ''}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}\n${r.stderr}`;
  const run: MatrixRun = {
    bug,
    ...(figure8 ? { figure8 } : {}),
    seed,
    exitCode: r.status ?? -1,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  const runDir = /run folder:? (\S+)/.exec(out)?.[1]?.replace(/;$/, '');
  if (runDir === undefined) return { ...run, reason: out.trim().split('\n').slice(-1)[0] };
  run.runDir = runDir;
  try {
    const results = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as MatrixResults;
    const reason = results.error ?? results.check?.reason;
    if (reason !== undefined) run.reason = reason;
    if (run.exitCode === 1) Object.assign(run, firstAnomaly(results, readHistory(runDir)));
  } catch {
    run.reason ??= 'no results.json';
  }
  return run;
}

/** What the matrix reads of a run's results.json. */
export interface MatrixResults {
  runStartNs?: number;
  firstAnomalyS?: number;
  check?: { reason?: string };
  error?: string;
  nodeFailures?: { deaths: { time: number }[] };
}

/**
 * A caught run's first anomaly, in seconds from the start of its run phase: results.json's first
 * anomalous op, or a node that died by itself if that came first; and the faults in force then.
 */
export function firstAnomaly(
  results: MatrixResults,
  events: readonly HistoryEvent[],
): Pick<MatrixRun, 'firstAnomalyS' | 'faultsThen'> {
  const start = results.runStartNs ?? events.find((e) => e.process !== 'nemesis')?.time ?? 0;
  const death = results.nodeFailures?.deaths[0];
  const deathS = death === undefined ? undefined : Math.round((death.time - start) / 1e7) / 100;
  const first = [results.firstAnomalyS, deathS].filter((t): t is number => t !== undefined);
  if (first.length === 0) return {};
  const firstAnomalyS = Math.min(...first);
  return { firstAnomalyS, faultsThen: faultsAt(events, start + firstAnomalyS * 1e9) };
}

/** A run's history. */
function readHistory(runDir: string): HistoryEvent[] {
  return readFileSync(path.join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HistoryEvent);
}

/** The fault kinds in force at `t` (ns on the run's clock). */
function faultsAt(events: readonly HistoryEvent[], t: number): string[] {
  return [
    ...new Set(
      computeFaultWindows(events)
        .filter((w) => w.start <= t && t <= w.end)
        .map((w) => w.fault),
    ),
  ];
}

const median = (xs: readonly number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The Markdown table of a matrix. */
export function renderMatrix(runs: readonly MatrixRun[], header: string): string {
  const lines = [
    header,
    '',
    '| bug | caught | median s to first anomaly | worst s | faults in force then | other exits |',
  ];
  lines.push('|---|---|---|---|---|---|');
  const groups = new Map<string, MatrixRun[]>();
  for (const r of runs) {
    const label = caseLabel({ bug: r.bug, figure8: r.figure8 === true });
    groups.set(label, [...(groups.get(label) ?? []), r]);
  }
  for (const [bug, rs] of groups) {
    const caught = rs.filter((r) => r.exitCode === 1);
    const times = caught.map((r) => r.firstAnomalyS).filter((t): t is number => t !== undefined);
    const med = median(times);
    const worst = times.length > 0 ? Math.max(...times) : undefined;
    const faults = new Map<string, number>();
    for (const r of caught) for (const f of r.faultsThen ?? ['(none)']) faults.set(f, (faults.get(f) ?? 0) + 1);
    const other = rs.filter((r) => r.exitCode !== 0 && r.exitCode !== 1).map((r) => `exit ${r.exitCode}`);
    const label = bug.startsWith('(control)')
      ? `${rs.length - caught.length}/${rs.length} valid`
      : `${caught.length}/${rs.length}`;
    lines.push(
      `| ${bug} | ${label} | ${med?.toFixed(1) ?? '-'} | ${worst?.toFixed(1) ?? '-'} | ${
        [...faults].map(([f, n]) => `${f} ${n}`).join(', ') || '-'
      } | ${other.join(', ') || '-'} |`,
    );
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runs = Number(option(args, 'runs', '5'));
  const controls = Number(option(args, 'controls', String(runs)));
  const timeLimit = option(args, 'time-limit', '60');
  const runtime = option(args, 'runtime', 'local');
  const store = path.resolve(option(args, 'store', path.join('store', 'matrix')));
  const firstSeed = Number(option(args, 'seed', '1'));
  const bugs = option(args, 'bugs', MATRIX_BUGS.join(','))
    .split(',')
    .filter((b) => b !== '');
  // commit-old-term again under the figure-8 setup, with as many clean controls of that setup.
  const figure8 = option(args, 'figure-8', 'yes') !== 'no' && bugs.includes('commit-old-term');
  mkdirSync(store, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const jsonl = path.join(store, `matrix-${stamp}.jsonl`);
  const plan: MatrixCase[] = [];
  // Interleaved, so a matrix stopped early has runs of every bug.
  for (let i = 0; i < Math.max(runs, controls); i++) {
    if (i < runs) plan.push(...bugs.map((bug) => ({ bug, figure8: false })));
    if (i < runs && figure8) plan.push({ bug: 'commit-old-term', figure8: true });
    if (i < controls) plan.push({ bug: null, figure8: false });
    if (i < controls && figure8) plan.push({ bug: null, figure8: true });
  }
  const done: MatrixRun[] = [];
  for (const [i, c] of plan.entries()) {
    const seed = firstSeed + i;
    const r = runOne(c, seed, { timeLimit, runtime, store });
    done.push(r);
    appendFileSync(jsonl, JSON.stringify(r) + '\n');
    console.log(
      `[${i + 1}/${plan.length}] ${caseLabel(c)} seed ${seed}: exit ${r.exitCode} in ${r.seconds} s` +
        (r.firstAnomalyS !== undefined
          ? `, first anomaly at ${r.firstAnomalyS} s (${(r.faultsThen ?? []).join('+') || 'no fault'})`
          : '') +
        (r.reason !== undefined ? ` — ${r.reason.slice(0, 160)}` : ''),
    );
  }
  const header =
    `Matrix ${stamp}: \`splitbrain test --runtime ${runtime} --db raftkv --nodes 5 --workload kv --nemesis all --time-limit ${timeLimit} --bug B\`, ${runs} runs per bug, ${controls} controls, seeds from ${firstSeed}` +
    (figure8 ? `; rows "+ figure-8" run \`${FIGURE8_SETUP.join(' ')}\` instead of \`--nemesis all\`` : '');
  const table = renderMatrix(done, header);
  writeFileSync(path.join(store, `matrix-${stamp}.md`), table);
  console.log(`\n${table}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
