/**
 * Where a run's files live: `<store>/<test-name>/<timestamp>/`, with a `latest` link beside the
 * run folders pointing at the newest one (Jepsen's store.clj layout).
 */
import { mkdirSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/** The files of one run folder, by role. */
export const RUN_FILES = {
  history: 'history.jsonl',
  results: 'results.json',
  log: 'splitbrain.log',
  nodes: 'nodes',
  report: 'report.html',
  test: 'test.json',
  /** Every inter-node message of a run (the maelstrom DB with `--record-messages`). */
  messages: 'messages.jsonl',
} as const;

/** A created run folder and the paths of its files. */
export interface RunDir {
  readonly root: string;
  readonly testName: string;
  readonly timestamp: string;
  readonly dir: string;
  readonly history: string;
  readonly results: string;
  readonly log: string;
  /** Folder for node logs: `<dir>/nodes/<node>/`. */
  readonly nodes: string;
  readonly report: string;
  readonly test: string;
  readonly messages: string;
}

/** A filesystem-safe UTC timestamp that sorts by time: `20261122T141800.123Z`. */
export function runTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}

/** The paths of a run folder, without touching the disk. */
export function runDirPaths(root: string, testName: string, timestamp: string): RunDir {
  const dir = path.join(root, testName, timestamp);
  return {
    root,
    testName,
    timestamp,
    dir,
    history: path.join(dir, RUN_FILES.history),
    results: path.join(dir, RUN_FILES.results),
    log: path.join(dir, RUN_FILES.log),
    nodes: path.join(dir, RUN_FILES.nodes),
    report: path.join(dir, RUN_FILES.report),
    test: path.join(dir, RUN_FILES.test),
    messages: path.join(dir, RUN_FILES.messages),
  };
}

/** Creates the run folder (unique even for two runs in the same millisecond) and points `latest` at it. */
export function createRunDir(root: string, testName: string, date: Date): RunDir {
  if (!/^[A-Za-z0-9._-]+$/.test(testName)) throw new Error(`test name '${testName}' must be [A-Za-z0-9._-]+`);
  const base = runTimestamp(date);
  let run = runDirPaths(path.resolve(root), testName, base);
  for (let n = 1; ; n++) {
    try {
      mkdirSync(path.dirname(run.dir), { recursive: true });
      mkdirSync(run.dir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw e;
      run = runDirPaths(path.resolve(root), testName, `${base}-${n}`);
    }
  }
  mkdirSync(run.nodes);
  pointLatest(run);
  return run;
}

/** Replaces `<store>/<test>/latest` with a relative link to this run, atomically by rename. */
function pointLatest(run: RunDir): void {
  const parent = path.dirname(run.dir);
  const tmp = path.join(parent, `.latest-${process.pid}-${Date.now()}`);
  try {
    unlinkSync(tmp);
  } catch {
    /* not there */
  }
  symlinkSync(run.timestamp, tmp);
  renameSync(tmp, path.join(parent, 'latest'));
}
