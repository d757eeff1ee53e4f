/**
 * `splitbrain check`: judge recorded histories for linearizability and exit with the spec's code
 * (0 valid, 1 invalid, 2 unknown, 64 usage, 65 malformed input, 66 a file that cannot be read). `checkFiles` does the work and
 * returns every result with its history, so other front ends (a `--report DIR`, the runner) can
 * reuse it; the handler only prints.
 */
import { writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import {
  checkFeed,
  counterexampleByPosition,
  CRASHED,
  describePosition,
  fillDefaults,
  opName,
  modelByName,
  MODELS,
  type CheckResult,
  type Operation,
} from '../../../checker/index.js';
import {
  EXIT,
  verdictWord,
  exitCodeOfVerdict,
  judge,
  linearizabilityChecker,
  mergeVerdicts,
  type ExitCode,
} from '../../analysis/index.js';
import {
  HISTORY_FORMATS,
  MalformedHistoryError,
  readHistory,
  streamJsonl,
  type HistoryFormat,
  type ReadHistory,
} from '../../history/index.js';
import { writeCheckReports } from '../../report/index.js';
import { computeHistoryStats, junitXmlOf, summarizeCheck, type JunitCase } from '../../store/index.js';

/** Options of {@link checkFiles}, as the command line gives them. */
export interface CheckFilesOptions {
  /** Model name; undefined picks one from the format and whether events carry keys. */
  model?: string;
  format: HistoryFormat;
  /** Per history, in seconds. */
  timeLimitS?: number;
  memoryLimitBytes?: number;
  /** Worker threads for keyed models: a count, 0 for none, or 'auto' (see CheckOptions.workers). */
  workers?: number | 'auto';
}

/** One file's outcome: its result and history, or why it could not be read (missing) or checked (malformed). */
export type CheckFileOutcome =
  { file: string; result: CheckResult; history: ReadHistory } | { file: string; error: string; missing?: boolean };

/** Reads and checks each file in turn; malformed files become `error` outcomes rather than exceptions. */
export async function checkFiles(files: readonly string[], options: CheckFilesOptions): Promise<CheckFileOutcome[]> {
  const outcomes: CheckFileOutcome[] = [];
  for (const file of files) {
    try {
      const size = (await stat(file)).size;
      if (options.format === 'jsonl' ? size > STREAM_ABOVE_BYTES : size > READ_WHOLE_UP_TO_BYTES) {
        outcomes.push(options.format === 'jsonl' ? await checkStreamed(file, options) : tooBigToRead(file, options));
        continue;
      }
      const history = await readHistory(file, options.format);
      const checker = linearizabilityChecker({
        // No results.json here to time the first anomaly in: the verdict and one counterexample suffice.
        everyKey: false,
        file,
        warnings: history.warnings,
        ...(history.positionalTimes ? { describeTime: describePosition } : {}),
        ...(options.timeLimitS === undefined ? {} : { timeLimitMs: options.timeLimitS * 1000 }),
        ...(options.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: options.memoryLimitBytes }),
        ...(options.workers === undefined ? {} : { workers: options.workers }),
      });
      const result = await judge(checker, history.events, options.model ?? defaultModel(options.format, history));
      outcomes.push({ file, result, history });
    } catch (err) {
      if (err instanceof MalformedHistoryError) outcomes.push({ file, error: err.message });
      else if (isFsError(err)) outcomes.push({ file, error: `${file}: cannot read (${err.code})`, missing: true });
      else throw err;
    }
  }
  return outcomes;
}

/** JSONL files bigger than this are checked as a stream, never held as event objects. */
const STREAM_ABOVE_BYTES = 64 * 2 ** 20;
/** Other formats are read whole, which past this size could exhaust memory. */
const READ_WHOLE_UP_TO_BYTES = 256 * 2 ** 20;

/** A file of another format too big to read whole: verdict unknown (memory-limit), saying why. */
function tooBigToRead(file: string, options: CheckFilesOptions): CheckFileOutcome {
  const { format } = options;
  const limit = READ_WHOLE_UP_TO_BYTES / 2 ** 20;
  const warning = `${file}: ${format} files over ${limit} MiB are not read into memory; convert it to JSONL, which is streamed`;
  const result: CheckResult = {
    file,
    model: options.model ?? defaultModel(format, { events: [], lines: [], warnings: [] }),
    valid: 'unknown',
    reason: 'memory-limit',
    ops: 0,
    ms: 0,
    warnings: [warning],
  };
  return { file, result, history: { events: [], lines: [], warnings: [warning] } };
}

/** Checks a big JSONL file as it is read; its outcome carries no events (there are too many to show). */
async function checkStreamed(file: string, options: CheckFilesOptions): Promise<CheckFileOutcome> {
  let warnings: string[] = [];
  const result = await checkFeed(
    async (push) => {
      warnings = await streamJsonl(file, push);
    },
    {
      model: options.model ?? ((await firstEventHasKey(file)) ? 'kv' : 'cas-register'),
      file,
      ...(options.timeLimitS === undefined ? {} : { timeLimitMs: options.timeLimitS * 1000 }),
      ...(options.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: options.memoryLimitBytes }),
    },
  );
  if (warnings.length > 0) result.warnings = warnings;
  return { file, result, history: { events: [], lines: [], warnings } };
}

/** Whether the first client event of a JSONL file has a key (the streamed form of {@link defaultModel}'s test). */
async function firstEventHasKey(file: string): Promise<boolean> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(1 << 16) });
    for (const line of buffer.toString('utf8', 0, bytesRead).split('\n').slice(0, -1)) {
      const e = JSON.parse(line) as { process?: unknown; key?: unknown };
      if (e.process !== 'nemesis') return e.key !== undefined;
    }
  } catch {
    // Unreadable here means malformed; the stream says so with its line.
  } finally {
    await handle.close();
  }
  return false;
}

/** The model used when `--model` is absent: by format, else `kv` when events carry keys, else `cas-register`. */
export function defaultModel(format: HistoryFormat, history: ReadHistory): string {
  if (format === 'porcupine-kv') return 'kv-append';
  if (format === 'porcupine-etcd') return 'cas-register';
  return history.events.some((e) => e.key !== undefined) ? 'kv' : 'cas-register';
}

/** The exit code for a set of outcomes: a file not read, malformed input, then invalid, then unknown, then valid. */
export function exitCodeOf(outcomes: readonly CheckFileOutcome[]): ExitCode {
  if (outcomes.some((o) => 'error' in o && o.missing)) return EXIT.noInput;
  if (outcomes.some((o) => 'error' in o)) return EXIT.malformed;
  return exitCodeOfVerdict(mergeVerdicts(outcomes.map((o) => ('result' in o ? o.result.valid : true))));
}

/** Renders one outcome for people: the verdict line and, for an invalid history, the counterexample. */
export function describeOutcome(outcome: CheckFileOutcome): string {
  if ('error' in outcome) return `${outcome.error}\n`;
  const r = outcome.result;
  const verdict =
    r.valid === true
      ? 'valid (linearizable)'
      : r.valid === false
        ? 'INVALID (not linearizable)'
        : `UNKNOWN (${r.reason})`;
  const keys = r.keys === undefined ? '' : `, ${r.keys} key(s)`;
  let out = `${outcome.file}: ${verdict}: ${r.ops} ops${keys}, model ${r.model}, checked in ${r.ms.toFixed(1)} ms\n`;
  const cx = r.counterexample;
  if (cx) {
    const model = fillDefaults(modelByName(r.model));
    const byId = new Map(cx.ops.map((op) => [op.id, op]));
    const describe = (id: number): string => {
      const op = byId.get(id)!;
      const input = op.key === undefined ? { f: op.f, value: op.input } : { f: op.f, value: op.input, key: op.key };
      return `${opName(op)} ${model.describeOperation(input, op.status === 'ok' ? op.output : CRASHED)} (process ${op.process}, ${interval(op)})`;
    };
    if (cx.key !== undefined) out += `  key: ${JSON.stringify(cx.key)}\n`;
    out += `  cannot linearize: ${describe(cx.failedOp)}\n`;
    out += `  why: ${cx.explanation}\n`;
    const shown = cx.prefix.slice(-8);
    out += `  longest linearizable prefix: ${cx.prefix.length} op(s)${cx.prefix.length > shown.length ? `, last ${shown.length}` : ''}:\n`;
    for (const s of shown) out += `    ${describe(s.op)}  => ${s.stateAfter}\n`;
    out += `  concurrent with it: ${cx.concurrent.length} op(s)\n`;
    for (const id of cx.concurrent.slice(0, 10)) out += `    ${describe(id)}\n`;
    if (cx.concurrent.length > 10) out += `    ... and ${cx.concurrent.length - 10} more\n`;
  }
  return out;
}

function interval(op: Operation): string {
  return op.completeIndex === undefined ? 'never completed' : `completed at index ${op.completeIndex}`;
}

/** The JSON object `--json` prints for one outcome; op ids in it are positions in the file, as everywhere. */
export function jsonOf(outcome: CheckFileOutcome): Record<string, unknown> {
  if ('error' in outcome) return { file: outcome.file, error: outcome.error };
  const { counterexample, ...rest } = outcome.result;
  return {
    ...rest,
    verdict: verdictWord(rest.valid),
    ...(counterexample ? { counterexample: counterexampleByPosition(counterexample) } : {}),
    file: outcome.file,
  };
}

function isFsError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && 'syscall' in err;
}

function usageProblem(argv: CheckArgs): string | undefined {
  const t = argv['time-limit'];
  if (t !== undefined && !(Number.isFinite(t) && t > 0))
    return `--time-limit must be a positive number of seconds, got ${t}`;
  const m = argv['memory-limit'];
  if (m !== undefined && !(Number.isFinite(m) && m > 0))
    return `--memory-limit must be a positive number of MiB, got ${m}`;
  const w = argv.workers;
  if (w !== undefined && !(Number.isInteger(w) && w >= 0)) return `--workers must be an integer >= 0, got ${w}`;
  return undefined;
}

interface CheckArgs {
  files: string[];
  model?: string;
  format: HistoryFormat;
  json: boolean;
  'time-limit'?: number;
  'memory-limit'?: number;
  workers?: number;
  report?: string;
  junit?: string;
}

/** A checked file as a JUnit case: named by its file, no seed, with its report when one was written. */
function junitCaseOf(
  outcome: Extract<CheckFileOutcome, { result: CheckResult }>,
  command: string[],
  reportPath?: string,
): JunitCase {
  const finishedAt = new Date();
  const startedAt = new Date(finishedAt.getTime() - outcome.result.ms);
  return {
    seeded: false,
    ...(reportPath !== undefined ? { reportPath } : {}),
    results: {
      name: outcome.file,
      valid: outcome.result.valid,
      verdict: verdictWord(outcome.result.valid),
      exitCode: exitCodeOf([outcome]),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      test: { model: outcome.result.model },
      seed: 0,
      stats: computeHistoryStats(outcome.history.events),
      check: summarizeCheck(outcome.result),
      nemesis: {},
      phases: [],
      versions: {},
      command,
    },
  };
}

/** The `check` command module. */
export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <files..>',
  describe:
    'Check histories for linearizability (exit 0 valid, 1 invalid, 2 unknown, 64 usage, 65 malformed, 66 cannot read)',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'History files to check' })
      .option('model', {
        type: 'string',
        choices: Object.keys(MODELS),
        describe: 'Model to check against (default: from --format; kv when events have keys; else cas-register)',
      })
      .option('format', {
        type: 'string',
        choices: HISTORY_FORMATS,
        default: 'jsonl' as HistoryFormat,
        describe: 'Input format',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON result object per history' })
      .option('time-limit', { type: 'number', describe: 'Seconds per history before the verdict is unknown' })
      .option('memory-limit', {
        type: 'number',
        describe: 'MiB for the search cache before the verdict is unknown (default 1024)',
      })
      .option('workers', {
        type: 'number',
        describe:
          'Worker threads for keyed models: 0 = none, N = all keys over N threads (default: hard keys only, one per core)',
      })
      .option('report', {
        type: 'string',
        describe: 'Write a self-contained HTML report to DIR/index.html (DIR/<file>/ for several)',
      })
      .option('junit', { type: 'string', describe: 'Also write JUnit XML to FILE: one test case per history' })
      .example('$0 check store/raftkv-kv/latest/history.jsonl', "check the newest raftkv-kv run's history again")
      .example('$0 check --format edn --model cas-register history.edn', 'check a Jepsen history.edn')
      .example(
        '$0 check --format porcupine-etcd --model cas-register --json etcd_*.log',
        'check Porcupine etcd logs, one JSON line each',
      ),
  handler: async (argv) => {
    // Validated here rather than in a yargs .check(): main.ts maps a failing check to exit 3.
    const usage = usageProblem(argv);
    if (usage) {
      process.stderr.write(`splitbrain: ${usage}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    const outcomes = await checkFiles(argv.files, {
      format: argv.format,
      ...(argv.model === undefined ? {} : { model: argv.model }),
      ...(argv['time-limit'] === undefined ? {} : { timeLimitS: argv['time-limit'] }),
      ...(argv['memory-limit'] === undefined ? {} : { memoryLimitBytes: argv['memory-limit'] * 2 ** 20 }),
      ...(argv.workers === undefined ? {} : { workers: argv.workers }),
    });
    for (const outcome of outcomes) {
      if ('error' in outcome) process.stderr.write(`splitbrain: ${outcome.error}\n`);
      else for (const w of outcome.result.warnings ?? []) process.stderr.write(`splitbrain: warning: ${w}\n`);
      if (argv.json) process.stdout.write(JSON.stringify(jsonOf(outcome)) + '\n');
      else if (!('error' in outcome)) process.stdout.write(describeOutcome(outcome));
    }
    const command = ['splitbrain', ...process.argv.slice(2)];
    const checked = outcomes.filter((o) => 'result' in o);
    const reports = argv.report === undefined ? [] : await writeCheckReports(argv.report, checked, command.join(' '));
    if (argv.junit !== undefined) {
      const cases = checked.map((o, i) => junitCaseOf(o, command, reports[i]?.path));
      writeFileSync(path.resolve(argv.junit), junitXmlOf('splitbrain check', cases));
    }
    // The report's path comes last, where a person looks after a long check.
    for (const w of reports) process.stderr.write(`splitbrain: report written to ${w.path}\n`);
    process.exitCode = exitCodeOf(outcomes);
  },
};
