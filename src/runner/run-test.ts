/**
 * Runs one test from cluster to verdict: the phases listed in test-spec.ts, each bounded in time,
 * inside a try/finally that always heals and tears down. Every op is appended to history.jsonl as
 * it happens; results.json, the report and the JUnit file are written at the end.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isLeaderAware } from '../../cluster/db.js';
import { newRunId, type StartedCluster } from '../../cluster/runtime/index.js';
import {
  assertNemesisBit,
  checkNemesisCapabilities,
  classifyF,
  computeCoverageSeconds,
  createNemesisPackage,
  DEFAULT_INTERVAL_S,
  NemesisUnavailableError,
  runNemesis,
  summarizeNemesis,
  watchLeader,
  type LeaderWatch,
  type NemesisCapabilities,
  type NemesisPackage,
} from '../../nemesis/index.js';
import { timeLimit } from '../../workloads/index.js';
import type { CheckResult } from '../../checker/result.js';
import { EXIT } from '../cli/exit-codes.js';
import { HistoryWriter, readJsonl } from '../history/index.js';
import { writeReport } from '../report/index.js';
import {
  computeHistoryStats,
  createRunDir,
  fileRunLog,
  junitXml,
  summarizeCheck,
  type RunDir,
  type RunLog,
  type RunResults,
} from '../store/index.js';
import { InfrastructureError, RunRefusedError, oneLine, withPhaseTimeout } from './errors.js';
import { interpret } from './interpreter.js';
import { startLiveView } from './live-view.js';
import { Recorder } from './recorder.js';
import type { TestSpec } from './test-spec.js';
import { versions } from './versions.js';

/** Upper bounds of the phases, in ms (the run phase's bound depends on the time limit). */
export const PHASE_TIMEOUTS = {
  'start-cluster': 15 * 60_000, // the first docker run may build the node image
  'check-faults': 60_000,
  'setup-db': 120_000,
  'setup-nemesis': 60_000,
  heal: 120_000,
  settle: 60_000,
  'final-reads': 60_000,
  teardown: 60_000,
  check: 30 * 60_000,
  report: 5 * 60_000,
} as const;

/** Where the runner writes for people; the CLI passes stdout/stderr. */
export interface RunIo {
  /** A line for the person running the test (summary, skipped faults, the verdict). */
  say(line: string): void;
  /** Stream for the live view (progress bar on a TTY, plain lines otherwise). */
  live: NodeJS.WriteStream;
  /** Fires on Ctrl-C / SIGTERM: the run stops early, heals and tears down. */
  signal: AbortSignal;
}

/** How a run ended. */
export interface RunOutcome {
  exitCode: number;
  run: RunDir;
  results: RunResults;
  /** The one-line cause when the run ended without a verdict. */
  error?: string;
}

/** Runs a test; never throws for a failed phase (that is exit 3), only for bugs in the runner itself. */
export async function runTest(test: TestSpec, io: RunIo): Promise<RunOutcome> {
  const startedAt = new Date();
  const run = createRunDir(test.storeRoot, test.name, startedAt);
  const log = fileRunLog(run.log);
  log.info(`command: ${test.command.join(' ')}`);
  log.info(`seed ${test.seed}; params ${JSON.stringify(test.params)}`);
  const writer = new HistoryWriter(run.history);
  const recorder = new Recorder(writer);
  const phases: RunResults['phases'] = [];
  const runId = newRunId();
  const state: RunState = { test, io, log, recorder, phases, run, runId };
  writeFileSync(
    run.test,
    JSON.stringify({ name: test.name, runId, seed: test.seed, ...test.params, command: test.command }, null, 2) + '\n',
  );
  io.say(
    `splitbrain: ${test.name}: ${test.db.name} on ${test.nodes.length} ${test.runtime.name} nodes, seed ${test.seed}; run folder ${run.dir}`,
  );

  let failure: Error | undefined;
  // A run whose history is complete is worth checking even when teardown then fails.
  let historyComplete = false;
  try {
    await runPhases(state);
    historyComplete = true;
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
  } finally {
    try {
      await teardown(state);
    } catch (e) {
      failure ??= e instanceof Error ? e : new Error(String(e));
    }
    writer.close();
  }
  if (!failure && io.signal.aborted)
    failure = new InfrastructureError(
      'run',
      new Error('interrupted by a signal; the cluster was healed and torn down'),
    );

  // Judge what was recorded, even after a failure: the results still describe the history.
  const events = (await readJsonl(run.history)).events;
  let check: CheckResult | undefined;
  let nemesisSummary: Record<string, unknown> = {};
  if (historyComplete && !io.signal.aborted) {
    try {
      check = await timed(state, 'check', PHASE_TIMEOUTS.check, () =>
        test
          .checker(events, test.workload.model, { timeLimitS: test.checkTimeLimitS })
          .catch((e: unknown): CheckResult => {
            log.error('the checker threw; the verdict is unknown', e);
            return {
              model: test.workload.model,
              valid: 'unknown',
              ops: 0,
              ms: 0,
              reason: `checker error: ${oneLine(e)}`,
            };
          }),
      );
    } catch (e) {
      failure ??= e instanceof Error ? e : new Error(String(e));
    }
  }
  if (state.capabilities) {
    const summary = summarizeNemesis(events, state.capabilities.faults, await state.leaderSamples);
    nemesisSummary = { ...summary, skipped: state.capabilities.skipped, notes: state.capabilities.notes };
    if (!failure) {
      try {
        assertNemesisBit(summary);
      } catch (e) {
        log.error('a requested fault injected nothing', e);
        failure = new InfrastructureError('nemesis', e);
      }
    }
  }
  const exitCode = failure
    ? failure instanceof RunRefusedError
      ? EXIT.usage
      : EXIT.infrastructure
    : check!.valid === true
      ? EXIT.valid
      : check!.valid === false
        ? EXIT.invalid
        : EXIT.unknown;
  const error = failure ? oneLine(failure) : undefined;
  if (failure && !(failure instanceof InfrastructureError) && !(failure instanceof RunRefusedError))
    log.error('run failed', failure);
  const results: RunResults = {
    name: test.name,
    valid: check?.valid ?? 'unknown',
    exitCode,
    ...(error !== undefined ? { error } : {}),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    test: { ...test.params, runId, nemesis: test.nemesis },
    seed: test.seed,
    stats: computeHistoryStats(events, state.runWindow),
    ...(check ? { check: summarizeCheck(check) } : {}),
    nemesis: nemesisSummary,
    phases,
    versions: await versions(test.db.name),
    command: test.command,
  };
  writeFileSync(run.results, JSON.stringify(results, null, 2) + '\n');
  if (check) writeFileSync(path.join(run.dir, 'check.json'), JSON.stringify(check) + '\n');
  try {
    await timed(state, 'report', PHASE_TIMEOUTS.report, async () => {
      await writeReport(run.dir, {
        result: check ?? {
          model: test.workload.model,
          valid: 'unknown',
          ops: 0,
          ms: 0,
          ...(error ? { reason: error } : {}),
        },
        events,
        command: test.command.join(' '),
        title: test.name,
        runInfo: { ...test.params, seed: test.seed, ...(error ? { error } : {}) },
        files: ['history.jsonl', 'results.json', 'splitbrain.log', 'nodes/'],
        fileName: 'report.html',
      });
    });
  } catch (e) {
    log.error('the report could not be written', e);
  }
  if (test.junitPath) writeFileSync(test.junitPath, junitXml(results));
  log.info(`exit ${exitCode}${error ? `: ${error}` : ''}`);
  return { exitCode, run, results, ...(error !== undefined ? { error } : {}) };
}

interface RunState {
  test: TestSpec;
  run: RunDir;
  /** Labels everything the runtime creates, so `cluster clean` can sweep a crashed run. */
  runId: string;
  io: RunIo;
  log: RunLog;
  recorder: Recorder;
  phases: RunResults['phases'];
  cluster?: StartedCluster;
  dbStarted?: boolean;
  capabilities?: NemesisCapabilities;
  pkg?: NemesisPackage;
  nemesisSetUp?: boolean;
  leaderWatch?: LeaderWatch;
  leaderSamples?: Promise<{ time: number; leader: string | undefined }[]>;
  /** The run phase's span (ns), over which throughput is measured. */
  runWindow?: { from: number; to: number };
}

/** Runs one named phase with its time bound; records its duration; wraps failures as InfrastructureError. */
async function timed<T>(s: RunState, name: string, ms: number, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  s.log.info(`phase ${name}: begin`);
  try {
    const r = await withPhaseTimeout(name, ms, fn);
    s.phases.push({ name, ms: Math.round(performance.now() - t0) });
    s.log.info(`phase ${name}: done in ${Math.round(performance.now() - t0)} ms`);
    return r;
  } catch (e) {
    s.phases.push({ name, ms: Math.round(performance.now() - t0), error: oneLine(e) });
    s.log.error(`phase ${name}: failed`, e);
    if (e instanceof RunRefusedError || e instanceof InfrastructureError) throw e;
    throw new InfrastructureError(name, e);
  }
}

async function runPhases(s: RunState): Promise<void> {
  const { test, io, log, recorder } = s;
  const stopIfAborted = () => {
    if (io.signal.aborted) throw new InfrastructureError('run', new Error('interrupted by a signal'));
  };
  const runId = s.runId;
  log.info(`run id ${runId} (label of everything the runtime creates; 'splitbrain cluster clean' sweeps it)`);
  const cluster = await timed(s, 'start-cluster', PHASE_TIMEOUTS['start-cluster'], () =>
    test.runtime.start({ runId, nodes: test.nodes, logDir: s.run.nodes }),
  );
  s.cluster = cluster;
  stopIfAborted();
  const caps = await timed(s, 'check-faults', PHASE_TIMEOUTS['check-faults'], async () => {
    try {
      return await checkNemesisCapabilities(cluster, test.db, { faults: test.nemesis.faults, all: test.nemesis.all });
    } catch (e) {
      if (e instanceof NemesisUnavailableError) throw new RunRefusedError(e.message);
      throw e;
    }
  });
  s.capabilities = caps;
  for (const skip of caps.skipped) io.say(`splitbrain: skipping fault ${skip.fault}: ${skip.reason}. ${skip.remedy}`);
  for (const note of caps.notes) io.say(`splitbrain: note: ${note}`);
  io.say(`splitbrain: faults: ${caps.faults.join(', ') || 'none'}`);
  stopIfAborted();

  s.dbStarted = true;
  await timed(s, 'setup-db', PHASE_TIMEOUTS['setup-db'], () => test.db.setup(cluster, test.dbOptions));
  stopIfAborted();
  const endpoints = cluster.nodes.map((n) => ({ node: n.name, url: test.db.clientEndpoint(n) }));
  const pool = test.client(endpoints);
  try {
    const intervalS = test.nemesis.intervalS ?? fitInterval(caps.faults.length, test.timeLimitS);
    log.info(`nemesis interval ${intervalS} s`);
    const pkg = createNemesisPackage({ cluster, db: test.db, faults: caps.faults, seed: test.seed, intervalS });
    s.pkg = pkg;
    await timed(s, 'setup-nemesis', PHASE_TIMEOUTS['setup-nemesis'], async () => {
      s.nemesisSetUp = true;
      await pkg.nemesis.setup();
    });
    stopIfAborted();

    // The run phase: clients and nemesis side by side until the time limit.
    const faultsInForce = new Map<string, number>();
    recorder.onEvent((e) => {
      if (e.process !== 'nemesis') return;
      const c = classifyF(e.f);
      if (!c) return;
      faultsInForce.set(c.fault, Math.max(0, (faultsInForce.get(c.fault) ?? 0) + (c.phase === 'start' ? 1 : -1)));
      log.info(`nemesis ${e.f} ${JSON.stringify(e.value)}${e.error ? ` error: ${e.error}` : ''}`);
    });
    if (isLeaderAware(test.db)) {
      s.leaderWatch = watchLeader({ db: test.db, cluster, now: () => recorder.now(), intervalMs: 1000 });
    }
    const stopNemesis = new AbortController();
    const onAbort = () => stopNemesis.abort();
    io.signal.addEventListener('abort', onAbort);
    let nemesisDone: Promise<unknown> | undefined;
    const runStart = recorder.now();
    const view = startLiveView(
      {
        counts: recorder.counts,
        elapsedS: () => (recorder.now() - runStart) / 1e9,
        fault: () =>
          [...faultsInForce]
            .filter(([, n]) => n > 0)
            .map(([f]) => f)
            .join('+'),
      },
      test.timeLimitS,
      io.live,
    );
    try {
      await timed(s, 'run', test.timeLimitS * 1000 + 120_000, async () => {
        nemesisDone = runNemesis({
          nemesis: pkg.nemesis,
          generator: pkg.generator,
          final: pkg.final,
          emit: (e) => recorder.record(e),
          now: () => recorder.now(),
          signal: stopNemesis.signal,
        });
        // If the nemesis interpreter itself dies, the run goes on; the heal phase reports it.
        nemesisDone.catch(() => undefined);
        try {
          await interpret({
            generator: timeLimit(test.timeLimitS * 1e9, test.workload.generator()),
            pool,
            recorder,
            threads: test.concurrency,
            signal: io.signal,
          });
        } finally {
          stopNemesis.abort();
        }
      });
    } finally {
      s.runWindow = { from: runStart, to: recorder.now() };
      view.stop();
      io.signal.removeEventListener('abort', onAbort);
    }
    await timed(s, 'heal', PHASE_TIMEOUTS.heal, async () => {
      await nemesisDone;
    });
    stopIfAborted();
    await timed(s, 'settle', PHASE_TIMEOUTS.settle, async () => {
      await new Promise((r) => setTimeout(r, test.settleS * 1000));
      if (isLeaderAware(test.db)) {
        const deadline = Date.now() + 30_000;
        while ((await test.db.leader(cluster).catch(() => undefined)) === undefined) {
          if (Date.now() > deadline) throw new Error('no leader 30 s after healing');
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    });
    stopIfAborted();
    await timed(s, 'final-reads', PHASE_TIMEOUTS['final-reads'], () =>
      interpret({
        generator: test.workload.finalGenerator([...recorder.keys]),
        pool,
        recorder,
        threads: test.concurrency,
        firstProcess: recorder.maxProcess + 1,
        signal: io.signal,
      }),
    );
  } finally {
    await pool.close();
  }
}

/** Heals and tears everything down; each step is attempted even if an earlier one failed. */
async function teardown(s: RunState): Promise<void> {
  const errors: unknown[] = [];
  const step = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await withPhaseTimeout(what, PHASE_TIMEOUTS.teardown, fn);
    } catch (e) {
      s.log.error(`teardown: ${what} failed`, e);
      errors.push(e);
    }
  };
  const t0 = performance.now();
  if (s.leaderWatch) {
    const watch = s.leaderWatch;
    s.leaderSamples = watch.stop().catch(() => []);
    await s.leaderSamples;
  }
  if (s.pkg && s.nemesisSetUp) {
    const pkg = s.pkg;
    await step('nemesis teardown', async () => {
      const healed = await pkg.nemesis.teardown();
      for (const h of healed) s.log.info(`teardown healed: ${h.f} ${JSON.stringify(h.value)}`);
    });
  }
  if (s.cluster && s.dbStarted) await step('db teardown', () => s.test.db.teardown(s.cluster!));
  if (s.cluster) {
    const before = errors.length;
    await step('cluster teardown', () => s.cluster!.teardown());
    // A teardown that failed or hung may have left something: sweep by the run's label.
    if (errors.length > before) {
      await step('cluster clean', async () => {
        const removed = await s.test.runtime.clean(s.cluster!.runId);
        for (const r of removed) s.log.info(`teardown swept: ${r}`);
      });
    }
  }
  s.phases.push({
    name: 'teardown',
    ms: Math.round(performance.now() - t0),
    ...(errors.length > 0 ? { error: oneLine(errors[0]) } : {}),
  });
  if (errors.length > 0) throw new InfrastructureError('teardown', errors[0]);
}

/**
 * A nemesis interval that lets every requested fault come round at least once within the time
 * limit. computeCoverageSeconds is the mean; a schedule can draw up to WORST_CASE_FACTOR times
 * that (longest quiet gap and hold, 2.25 intervals per fault, against a mean of 1.75), and a
 * short run must still see every kind, so the fit uses the worst case.
 */
export function fitInterval(faults: number, timeLimitS: number): number {
  if (faults === 0) return DEFAULT_INTERVAL_S;
  const perUnit = computeCoverageSeconds(faults, 1) * WORST_CASE_FACTOR;
  return Math.max(1, Math.min(DEFAULT_INTERVAL_S, Math.floor(((timeLimitS * 0.9) / perUnit) * 10) / 10));
}

const WORST_CASE_FACTOR = 2.25 / 1.75;
