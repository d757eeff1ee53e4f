/**
 * The analysis step of a run, shared by `splitbrain test` (after the run) and `splitbrain
 * analyze` (on a stored run): judge the history, write results.json and check.json, write the
 * HTML report, write the JUnit file, and give the exit code. results.json is written before the
 * report, so a report that cannot be written still leaves the verdict on disk.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MalformedHistoryError, type CheckResult, type HistoryEvent, type Operation } from '../../checker/index.js';
import { writeReport } from '../report/index.js';
import { computeHistoryStats, junitXml, RUN_FILES, summarizeCheck, type RunResults } from '../store/index.js';
import { EXIT, exitCodeOfVerdict, verdictWord, type ExitCode } from './exit-codes.js';
import { judge, type Checker } from './judge.js';
import { oneLine } from './one-line.js';

/** What results.json holds that the analysis does not compute: what the run knows beyond its history. */
export type RunFacts = Pick<
  RunResults,
  'name' | 'startedAt' | 'test' | 'seed' | 'nemesis' | 'phases' | 'versions' | 'command' | 'nodeFailures'
> & {
  /** When the run ended; default: now. */
  finishedAt?: string;
};

/** Why a run has no verdict to trust: exit 3 (infrastructure) or 64 (refused), and the cause on one line. */
export interface RunFailure {
  exitCode: ExitCode;
  error: string;
}

/** Input of {@link analyzeRun}. */
export interface RunAnalysisInput {
  /** The run folder: results.json, check.json and report.html are written here. */
  dir: string;
  /** The whole history, nemesis events included. */
  events: readonly HistoryEvent[];
  /**
   * Judges the history; omitted when the run broke before its history was whole (then no verdict).
   * A linearizability checker with `everyKey` lets `firstAnomalyS` be the earliest over every key;
   * otherwise it is the counterexample's.
   */
  checker?: Checker;
  /** The model the checker uses (the workload's). */
  model: string;
  facts: RunFacts;
  /** Set when the run broke: its exit code wins over the verdict. */
  failure?: RunFailure;
  /** The run phase's span (ns), over which throughput is measured; default the whole history. */
  runWindow?: { from: number; to: number };
  /** Also write a JUnit XML file here. */
  junitPath?: string;
  /** Bounds and records the `check` and `report` steps (the runner's phases); by default each just runs. */
  step?: <T>(name: 'check' | 'report', fn: () => Promise<T>) => Promise<T>;
  /** Where problems that do not decide the exit code go (a checker that threw, a report not written). */
  log?: (message: string, error: unknown) => void;
}

/** What the analysis decided and wrote. */
export interface RunAnalysis {
  results: RunResults;
  /** The full check result (with the counterexample's ops), when the history was judged. */
  check?: CheckResult;
  exitCode: ExitCode;
  /** The one-line cause when the run has no verdict to trust. */
  error?: string;
}

/**
 * Judges a run's history and writes what a person, CI and `serve` read. A malformed history
 * throws MalformedHistoryError (exit 65) before anything is written; any other failure of the
 * check step is an infrastructure error (exit 3).
 */
export async function analyzeRun(input: RunAnalysisInput): Promise<RunAnalysis> {
  const step = input.step ?? ((_name, fn) => fn());
  const log = input.log ?? ((message, e) => process.stderr.write(`splitbrain: ${message}: ${oneLine(e)}\n`));
  const { facts, events, model } = input;
  let failure = input.failure;
  let check: CheckResult | undefined;
  if (input.checker) {
    const checker = input.checker;
    try {
      check = await step('check', () =>
        judge(checker, events, model, (e) => log('the checker threw; the verdict is unknown', e)),
      );
    } catch (e) {
      if (e instanceof MalformedHistoryError) throw e;
      failure ??= { exitCode: EXIT.infrastructure, error: oneLine(e) };
    }
  }
  const exitCode = failure?.exitCode ?? (check ? exitCodeOfVerdict(check.valid) : EXIT.unknown);
  const error = failure?.error;
  const results: RunResults = {
    name: facts.name,
    valid: check?.valid ?? 'unknown',
    verdict: verdictWord(check?.valid ?? 'unknown'),
    exitCode,
    ...(error !== undefined ? { error } : {}),
    startedAt: facts.startedAt,
    finishedAt: facts.finishedAt ?? new Date().toISOString(),
    test: facts.test,
    seed: facts.seed,
    stats: computeHistoryStats(events, input.runWindow),
    ...(check ? { check: summarizeCheck(check) } : {}),
    ...firstAnomaly(check, input.runWindow?.from ?? events.find((e) => e.process !== 'nemesis')?.time),
    ...(facts.nodeFailures ? { nodeFailures: facts.nodeFailures } : {}),
    nemesis: facts.nemesis,
    phases: facts.phases,
    versions: facts.versions,
    command: facts.command,
  };
  writeFileSync(path.join(input.dir, RUN_FILES.results), JSON.stringify(results, null, 2) + '\n');
  if (check) writeFileSync(path.join(input.dir, 'check.json'), JSON.stringify(check) + '\n');
  const messagesFile = path.join(input.dir, RUN_FILES.messages);
  try {
    await step('report', () =>
      writeReport(input.dir, {
        result: check ?? { model, valid: 'unknown', ops: 0, ms: 0, ...(error !== undefined ? { reason: error } : {}) },
        events,
        command: facts.command.join(' '),
        title: facts.name,
        runInfo: { ...facts.test, seed: facts.seed, ...(error !== undefined ? { error } : {}) },
        files: [
          RUN_FILES.history,
          RUN_FILES.results,
          RUN_FILES.log,
          `${RUN_FILES.nodes}/`,
          ...(existsSync(messagesFile) ? [RUN_FILES.messages] : []),
        ],
        messagesFile,
        fileName: RUN_FILES.report,
      }),
    );
  } catch (e) {
    log('the report could not be written', e);
  }
  if (input.junitPath) writeFileSync(input.junitPath, junitXml(results, path.join(input.dir, RUN_FILES.report)));
  return { results, exitCode, ...(check ? { check } : {}), ...(error !== undefined ? { error } : {}) };
}

/**
 * The first anomalous op: of the ops the checker could not linearize, one per invalid key, the
 * one invoked first (the counterexample's when the check stopped at the first invalid key); its
 * invoke in seconds after `fromNs` (the run phase's start), and its key.
 */
function firstAnomaly(
  check: CheckResult | undefined,
  fromNs: number | undefined,
): Pick<RunResults, 'runStartNs' | 'firstAnomalyS' | 'firstAnomalyKey'> {
  if (fromNs === undefined) return {};
  const ce = check?.counterexample;
  const failed = check?.invalidKeys?.map((k) => k.failed) ?? ce?.ops.filter((o) => o.id === ce.failedOp) ?? [];
  const first = failed.reduce<Operation | undefined>((a, o) => (a === undefined || o.call < a.call ? o : a), undefined);
  if (first === undefined) return { runStartNs: fromNs };
  return {
    runStartNs: fromNs,
    firstAnomalyS: Math.round((first.call - fromNs) / 1e7) / 100,
    ...(first.key !== undefined ? { firstAnomalyKey: first.key } : {}),
  };
}
