/**
 * Shared helpers of the `splitbrain test` integration tests: run the CLI from dist/,
 * read a run folder back.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import { LocalRuntime } from '../../cluster/runtime/index.js';
import { type HistoryEvent } from '../../src/history/index.js';
import { type RunResults } from '../../src/store/index.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** Insists on the compiled CLI (the test run's global setup builds dist/), so the raftkv node runs from there. */
export function build(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
}

/** Starts `splitbrain ARGS` (not awaited), with the environment the runtimes want. */
export function splitbrain(
  args: string[],
  opts: { timeoutMs?: number } = {},
): ResultPromise<{ reject: false; all: true }> {
  return execa(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    reject: false,
    all: true,
    timeout: opts.timeoutMs ?? 300_000,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  });
}

/** How a named local run ended: its exit code, its whole output and its run folder. */
export interface LocalRun {
  exitCode: number | undefined;
  all: string;
  run: string;
}

/**
 * Runs `splitbrain test --runtime local --workload kv` with `flags` (the DB, nodes, nemesis, time
 * limit and whatever else), seeded, into `store` under `name`; checks it left nothing behind.
 */
export async function runLocalTest(store: string, name: string, seed: number, flags: string[]): Promise<LocalRun> {
  const r = await splitbrain([
    'test',
    '--runtime',
    'local',
    '--workload',
    'kv',
    '--seed',
    String(seed),
    ...flags,
    '--store',
    store,
    '--name',
    name,
  ]);
  const run = latestRun(store, name);
  // The run heals and tears down on its own; nothing of it may be left either way.
  await expectLocalRunLeftNothing(run);
  return { exitCode: r.exitCode, all: r.all, run };
}

/** The newest run folder of a test in a store. */
export function latestRun(store: string, test: string): string {
  return realpathSync(path.join(store, test, 'latest'));
}

/** A run's history, parsed (tolerating a torn last line). */
export function readHistory(runDir: string): HistoryEvent[] {
  return readFileSync(path.join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as HistoryEvent];
      } catch {
        return [];
      }
    });
}

export function readResults(runDir: string): RunResults {
  return JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as RunResults;
}

/** The fault kinds seen in a history's nemesis events. */
export function faultKinds(history: HistoryEvent[]): Set<string> {
  const kinds = new Set<string>();
  for (const e of history) {
    if (e.process !== 'nemesis') continue;
    if (e.f === 'start-partition') kinds.add('partition');
    if (e.f === 'kill') kinds.add('kill');
    if (e.f === 'pause') kinds.add('pause');
    if (e.f === 'bump-clock' || e.f === 'strobe-clock') kinds.add('clock');
  }
  return kinds;
}

/** Docker containers and networks labelled by any splitbrain run. */
export async function dockerLeftovers(): Promise<string[]> {
  const ps = await execa('docker', ['ps', '-a', '--filter', 'label=splitbrain.run', '--format', '{{.Names}}'], {
    reject: false,
  });
  const nets = await execa('docker', ['network', 'ls', '--filter', 'label=splitbrain.run', '--format', '{{.Name}}'], {
    reject: false,
  });
  return [...ps.stdout.split('\n'), ...nets.stdout.split('\n')].filter((s) => s.trim() !== '');
}

/** Whether a docker engine answers. */
export async function dockerAvailable(): Promise<boolean> {
  return (await execa('docker', ['info'], { reject: false, timeout: 20_000 })).exitCode === 0;
}

/** The run id a run folder was labelled with (test.json is written before anything starts). */
export function runIdOf(runDir: string): string {
  return (JSON.parse(readFileSync(path.join(runDir, 'test.json'), 'utf8')) as { runId: string }).runId;
}

/** Pids of live processes carrying `SPLITBRAIN_RUN=<runId>` in their environment (a run's daemons). */
export function processesOfRun(runId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (env.includes(`SPLITBRAIN_RUN=${runId}`)) pids.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

/** Network namespaces whose name carries the run's tag. */
export async function namespacesOfRun(runId: string): Promise<string[]> {
  const r = await execa('ip', ['netns', 'list'], { reject: false });
  return r.stdout
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`sb-${runId}`));
}

/** A fresh project folder `name` under `parent` with splitbrain in its node_modules, as `npm install` would put it. */
export function userProject(parent: string, name: string): string {
  const dir = path.join(parent, name);
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'splitbrain'));
  return dir;
}

/**
 * Asserts a local run left no process or network namespace behind, then sweeps whatever it did
 * leave (`cluster clean --run`), so one failed test does not leak into the next.
 */
export async function expectLocalRunLeftNothing(runDir: string): Promise<void> {
  const runId = runIdOf(runDir);
  try {
    expect(processesOfRun(runId)).toEqual([]);
    expect(await namespacesOfRun(runId)).toEqual([]);
  } finally {
    await new LocalRuntime().clean(runId);
  }
}
