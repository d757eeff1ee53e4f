import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One run folder of the store as the index lists it. */
export interface StoredRun {
  test: string;
  timestamp: string;
  /** Store-relative path of the run folder, with `/` separators. */
  path: string;
  /**
   * `error`: the run broke (infrastructure, exit 3, or refused, exit 64), so it has no verdict;
   * `unknown`: the checker ran out of time or memory on a whole history.
   */
  verdict: 'valid' | 'invalid' | 'unknown' | 'error' | 'crashed' | 'running';
  startedAt?: string;
  finishedAt?: string;
  /** Seconds from start to finish. */
  durationS?: number;
  seed?: number;
  /** Fault kinds the nemesis injected (or, for runs without a summary, the ones asked for). */
  faults?: string[];
  /** Deliberate bugs switched on in the system under test. */
  bugs?: string[];
  ops?: number;
  error?: string;
  /** Store-relative path of the HTML report, when one was written. */
  report?: string;
  /** Names of the files and folders in the run folder. */
  files: string[];
}

const REPORT_NAMES = ['report.html', 'index.html'];

/**
 * Lists every run in a store (`<store>/<test>/<timestamp>/`), newest first. A run's verdict comes
 * from its results.json; a folder without one is still running or crashed before it wrote it.
 * The `latest` links and dot files are skipped, so each run is listed once.
 */
export function listRuns(store: string): StoredRun[] {
  const runs: StoredRun[] = [];
  for (const test of safeDirs(store)) {
    for (const timestamp of safeDirs(join(store, test))) {
      const dir = join(store, test, timestamp);
      const files = readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .sort();
      const run: StoredRun = { test, timestamp, path: `${test}/${timestamp}`, verdict: 'running', files };
      const report = REPORT_NAMES.find((name) => files.includes(name));
      if (report) run.report = `${run.path}/${report}`;
      if (files.includes('results.json')) readResults(join(dir, 'results.json'), run);
      runs.push(run);
    }
  }
  return runs.sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
}

/** An ISO time to order runs by: the folder's timestamp (`20261122T141800.123Z`), else startedAt. */
function sortKey(run: StoredRun): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?Z(.*)$/.exec(run.timestamp);
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z${m[8]}`;
  return run.startedAt ?? run.timestamp;
}

/** Sub-folders that are real directories (not links), not hidden. */
function safeDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => {
    if (name.startsWith('.')) return false;
    const stat = lstatSync(join(dir, name));
    return stat.isDirectory() && !stat.isSymbolicLink();
  });
}

/** Fills a run's verdict and facts from results.json; a torn file marks the run crashed. */
function readResults(file: string, run: StoredRun): void {
  try {
    const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const valid = results['valid'];
    const broke = results['exitCode'] === 3 || results['exitCode'] === 64;
    run.verdict = valid === true ? 'valid' : valid === false ? 'invalid' : broke ? 'error' : 'unknown';
    if (typeof results['seed'] === 'number') run.seed = results['seed'];
    const test = (results['test'] ?? {}) as { bugs?: unknown };
    if (Array.isArray(test.bugs)) run.bugs = test.bugs.map(String);
    const nemesis = (results['nemesis'] ?? {}) as { faults?: { fault?: unknown; injected?: unknown }[] };
    if (Array.isArray(nemesis.faults))
      run.faults = nemesis.faults.filter((f) => Number(f.injected) > 0).map((f) => String(f.fault));
    if (typeof results['error'] === 'string') run.error = results['error'];
    if (typeof results['startedAt'] === 'string') run.startedAt = results['startedAt'];
    if (typeof results['finishedAt'] === 'string') run.finishedAt = results['finishedAt'];
    if (run.startedAt && run.finishedAt)
      run.durationS = Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 100) / 10;
    const stats = results['stats'] as { ops?: unknown } | undefined;
    if (typeof stats?.ops === 'number') run.ops = stats.ops;
    else if (typeof results['ops'] === 'number') run.ops = results['ops'];
  } catch {
    run.verdict = 'crashed';
    run.error = 'results.json could not be read';
  }
}
