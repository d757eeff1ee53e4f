/**
 * Runs one test from cluster to verdict: the phases listed in test-spec.ts, each bounded in time,
 * inside a try/finally that always heals and tears down. Every op is appended to history.jsonl as
 * it happens; results.json, the report and the JUnit file are written at the end.
 */
import { writeFileSync } from 'node:fs';
import { isLeaderAware } from '../../cluster/db/index.js';
import { newRunId, type StartedCluster } from '../../cluster/runtime/index.js';
import {
  assertNemesisBit,
  classifyF,
  describeSkippedFaults,
  nemesisClient,
  NemesisUnavailableError,
  type OpenNemesisPackage,
} from '../../nemesis/index.js';
import { phases as inPhases, timeLimit, withNemesis } from '../../workloads/index.js';
import { analyzeRun, EXIT, oneLine, type RunFailure } from '../analysis/index.js';
import { HistoryWriter, readJsonl } from '../history/index.js';
import { createRunDir, fileRunLog, type RunDir, type RunLog, type RunResults } from '../store/index.js';
import { InfrastructureError, RunRefusedError, withPhaseTimeout } from './errors.js';
import { scanNodeFailures, withNodeFailures } from './fatal-log-scan.js';
import { interpret } from './interpreter.js';
import { watchLiveness, type LivenessWatch, type NodeDeath } from './liveness.js';
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
  const { options } = test;
  const startedAt = new Date();
  const run = createRunDir(options.storeRoot, test.name, startedAt);
  const log = fileRunLog(run.log);
  log.info(`command: ${options.command.join(' ')}`);
  log.info(`seed ${options.seed}; params ${JSON.stringify(options.params)}`);
  const writer = new HistoryWriter(run.history);
  const recorder = new Recorder(writer);
  const phases: RunResults['phases'] = [];
  const runId = newRunId();
  const state: RunState = { test, io, log, recorder, phases, run, runId };
  writeFileSync(
    run.test,
    JSON.stringify(
      { name: test.name, runId, seed: options.seed, ...options.params, command: options.command },
      null,
      2,
    ) + '\n',
  );
  io.say(
    `splitbrain: ${test.name}: ${test.db.name} on ${test.nodes.length} ${test.runtime.name} nodes, seed ${options.seed}; run folder ${run.dir}`,
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
  let nemesis: RunResults['nemesis'] = {};
  if (state.pkg) {
    const report = await state.pkg.summarize(events);
    nemesis = { ...report };
    if (!failure) {
      try {
        assertNemesisBit(report);
      } catch (e) {
        log.error('a requested fault injected nothing', e);
        failure = new InfrastructureError('nemesis', e);
      }
    }
  }
  // Nodes that died by themselves or logged fatal lines fail the test whatever the history says.
  const nodeFailures = historyComplete ? scanNodeFailures(test.db, run.nodes, state.deaths ?? []) : undefined;
  // A cluster without a leader after the heal is the nodes' failure when some died or logged a
  // fatal line (exit 1, judged); with every node healthy it is an infrastructure failure (exit 3).
  if (!failure && state.leaderless && !nodeFailures)
    failure = new InfrastructureError('settle', new Error(state.leaderless));
  if (failure && !(failure instanceof InfrastructureError) && !(failure instanceof RunRefusedError))
    log.error('run failed', failure);
  const runFailure: RunFailure | undefined = failure && {
    exitCode: failure instanceof RunRefusedError ? EXIT.usage : EXIT.infrastructure,
    error: oneLine(failure),
  };
  const analysis = await analyzeRun({
    dir: run.dir,
    events,
    ...(historyComplete && !io.signal.aborted ? { checker: withNodeFailures(test.checker, nodeFailures) } : {}),
    model: test.workload.model,
    facts: {
      name: test.name,
      startedAt: startedAt.toISOString(),
      test: { ...options.params, runId, nemesis: test.nemesis.request },
      seed: options.seed,
      nemesis,
      phases,
      versions: await versions(test.versions),
      command: options.command,
      ...(nodeFailures ? { nodeFailures } : {}),
    },
    ...(runFailure ? { failure: runFailure } : {}),
    ...(state.runWindow ? { runWindow: state.runWindow } : {}),
    ...(options.junitPath ? { junitPath: options.junitPath } : {}),
    step: (name, fn) => timed(state, name, PHASE_TIMEOUTS[name], fn),
    log: (message, e) => log.error(message, e),
  });
  const { exitCode, results, error } = analysis;
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
  /** The nemesis package opened on the cluster. */
  pkg?: OpenNemesisPackage;
  nemesisSetUp?: boolean;
  /** The run phase's span (ns), over which throughput is measured. */
  runWindow?: { from: number; to: number };
  liveness?: LivenessWatch;
  /** Node processes that exited by themselves, collected at teardown. */
  deaths?: NodeDeath[];
  /** Set when no leader came back after the final heal; the final reads were skipped. */
  leaderless?: string;
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
  const pkg = await timed(s, 'check-faults', PHASE_TIMEOUTS['check-faults'], async () => {
    try {
      return await test.nemesis.open(cluster, test.db, () => recorder.now());
    } catch (e) {
      if (e instanceof NemesisUnavailableError) throw new RunRefusedError(e.message);
      throw e;
    }
  });
  s.pkg = pkg;
  const caps = pkg.capabilities;
  for (const line of describeSkippedFaults(caps.skipped)) io.say(`splitbrain: ${line}`);
  for (const note of caps.notes) io.say(`splitbrain: note: ${note}`);
  io.say(`splitbrain: faults: ${caps.faults.join(', ') || 'none'}`);
  log.info(`nemesis interval ${pkg.intervalS} s`);
  stopIfAborted();

  s.dbStarted = true;
  const runContext = { messagesFile: s.run.messages, now: () => recorder.now(), log: (line: string) => log.info(line) };
  await timed(s, 'setup-db', PHASE_TIMEOUTS['setup-db'], () =>
    test.db.setup(cluster, { ...test.dbOptions, run: runContext }),
  );
  stopIfAborted();
  s.liveness = watchLiveness({ cluster, now: () => recorder.now() });
  const endpoints = cluster.nodes.map((n) => ({ node: n.name, url: test.db.clientEndpoint(n) }));
  const pool = test.client(endpoints);
  try {
    await timed(s, 'setup-nemesis', PHASE_TIMEOUTS['setup-nemesis'], async () => {
      s.nemesisSetUp = true;
      await pkg.setup();
    });
    stopIfAborted();

    // The run phase: clients and nemesis side by side until the time limit.
    const faultsInForce = new Map<string, number>();
    recorder.onEvent((e) => {
      if (e.process !== 'nemesis' || e.type === 'invoke') return;
      const c = classifyF(e.f);
      if (!c) return;
      faultsInForce.set(c.fault, Math.max(0, (faultsInForce.get(c.fault) ?? 0) + (c.phase === 'start' ? 1 : -1)));
      log.info(`nemesis ${e.f} ${JSON.stringify(e.value)}${e.error ? ` error: ${e.error}` : ''}`);
    });
    const nemesis = nemesisClient(pkg.nemesis);
    const runStart = recorder.now();
    const thrown: unknown[] = [];
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
      test.options.timeLimitS,
      io.live,
    );
    try {
      await timed(s, 'run', test.options.timeLimitS * 1000 + 120_000, async () => {
        await interpret({
          // The nemesis is one more process: its schedule, then its final heal, beside the clients.
          generator: withNemesis(
            timeLimit(test.options.timeLimitS * 1e9, test.workload.generator()),
            inPhases(pkg.generator(runStart), pkg.final),
          ),
          pool,
          recorder,
          threads: test.options.concurrency,
          signal: io.signal,
          nemesis,
          onClientError: (e) => thrown.push(e),
        });
        // A client whose every op threw is broken, not a system that lost every op: say so (exit 3).
        if (thrown.length > 0 && recorder.counts.ok === 0)
          throw new Error(`the client threw on all ${thrown.length} ops it ran, e.g. ${oneLine(thrown[0])}`);
        if (thrown.length > 0) log.error(`the client threw on ${thrown.length} ops (recorded info)`, thrown[0]);
      });
    } finally {
      s.runWindow = { from: runStart, to: recorder.now() };
      view.stop();
    }
    // Normally the final heal ran at the end of the run phase; after Ctrl-C it runs here.
    await timed(s, 'heal', PHASE_TIMEOUTS.heal, async () => {
      if (io.signal.aborted)
        await interpret({ generator: withNemesis(undefined, pkg.final), pool, recorder, threads: 0, nemesis });
    });
    stopIfAborted();
    await timed(s, 'settle', PHASE_TIMEOUTS.settle, async () => {
      await new Promise((r) => setTimeout(r, test.options.settleS * 1000));
      if (isLeaderAware(test.db)) {
        const deadline = Date.now() + 30_000;
        while ((await test.db.leader(cluster).catch(() => undefined)) === undefined) {
          if (Date.now() > deadline) {
            // Not thrown here: when nodes died by themselves the history is still judged and the
            // deaths fail the test (runTest decides once the liveness watch has been read).
            s.leaderless = 'no leader 30 s after healing';
            log.error(`${s.leaderless}; the final reads are skipped`);
            return;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    });
    stopIfAborted();
    if (s.leaderless) return;
    await timed(s, 'final-reads', PHASE_TIMEOUTS['final-reads'], () =>
      interpret({
        generator: test.workload.finalGenerator([...recorder.keys]),
        pool,
        recorder,
        threads: test.options.concurrency,
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
  s.deaths = s.liveness?.stop();
  if (s.pkg && s.nemesisSetUp) {
    const pkg = s.pkg;
    await step('nemesis teardown', async () => {
      const healed = await pkg.teardown();
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
