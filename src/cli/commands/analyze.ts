/**
 * `splitbrain analyze DIR`: re-checks a stored run (also one whose runner was killed: the history
 * is appended as ops happen and test.json is written first), rewrites its report and results,
 * and exits with the verdict.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { MalformedHistoryError, readJsonl } from '../../history/index.js';
import { RUN_FILES, type RunResults } from '../../store/index.js';
import { MODELS } from '../../../checker/index.js';
import { analyzeRun, EXIT, linearizabilityChecker, type RunFacts } from '../../analysis/index.js';

interface AnalyzeArgs {
  dir: string;
  model?: string;
  'time-limit'?: number;
  junit?: string;
  json?: boolean;
}

/** Resolves DIR to a run folder: a run folder itself, or a test folder (its `latest` run). */
export function resolveRunDir(dir: string): string {
  const abs = path.resolve(dir);
  if (existsSync(path.join(abs, RUN_FILES.history))) return realpathSync(abs);
  const latest = path.join(abs, 'latest');
  if (existsSync(path.join(latest, RUN_FILES.history))) return realpathSync(latest);
  throw new Error(`${dir}: no ${RUN_FILES.history} here (nor under ${dir}/latest); name a run folder of the store`);
}

/** The `analyze` command. */
export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <dir>',
  describe: 'Re-check a stored run folder (or a test folder: its latest run) and rewrite its results and report',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'store/<test>/<timestamp> (or store/<test>)' })
      .option('model', {
        type: 'string',
        choices: Object.keys(MODELS),
        describe: 'Checker model (default: the one the run used)',
      })
      .option('time-limit', { type: 'number', describe: 'Seconds the checker may take (default: none)' })
      .option('junit', { type: 'string', describe: 'Also write a JUnit XML report to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print results.json on stdout' })
      .example('$0 analyze store/raftkv-kv/latest', 're-check the newest raftkv-kv run') as never,
  handler: async (argv) => {
    let dir: string;
    try {
      dir = resolveRunDir(argv.dir);
    } catch (e) {
      process.stderr.write(`splitbrain: ${(e as Error).message}\n`);
      process.exit(EXIT.usage);
    }
    const readJson = (file: string): Record<string, unknown> | undefined => {
      const p = path.join(dir, file);
      return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>) : undefined;
    };
    const previous = readJson(RUN_FILES.results) as RunResults | undefined;
    const testInfo = readJson(RUN_FILES.test) ?? {};
    const model = argv.model ?? (testInfo.model as string | undefined) ?? (previous?.test.model as string | undefined);
    if (!model) {
      process.stderr.write(`splitbrain: ${dir}: the run does not say its model; pass --model\n`);
      process.exit(EXIT.usage);
    }
    const historyPath = path.join(dir, RUN_FILES.history);
    let analysis;
    try {
      const history = await readJsonl(historyPath);
      for (const w of history.warnings) process.stderr.write(`splitbrain: warning: ${w}\n`);
      const stat = statSync(historyPath);
      const facts: RunFacts = previous ?? {
        name: path.basename(path.dirname(dir)),
        startedAt: stat.birthtime.toISOString(),
        finishedAt: stat.mtime.toISOString(),
        test: testInfo,
        seed: Number(testInfo.seed ?? 0),
        nemesis: {},
        phases: [],
        versions: {},
        command: (testInfo.command as string[] | undefined) ?? [],
      };
      // This verdict replaces the previous run's error; keep that visible.
      if (previous?.error) facts.test = { ...facts.test, previousError: previous.error };
      const checker = linearizabilityChecker({
        file: historyPath,
        warnings: history.warnings,
        ...(argv['time-limit'] ? { timeLimitMs: argv['time-limit'] * 1000 } : {}),
      });
      analysis = await analyzeRun({
        dir,
        events: history.events,
        checker,
        model,
        facts,
        ...(argv.junit ? { junitPath: path.resolve(argv.junit) } : {}),
      });
    } catch (e) {
      if (e instanceof MalformedHistoryError) {
        // The run's own history is well formed; a model that cannot describe it is a bad --model.
        const byFlag = argv.model !== undefined;
        process.stderr.write(`splitbrain: ${byFlag ? `--model ${model}: ${e.problem}` : e.message}\n`);
        process.exit(byFlag ? EXIT.usage : EXIT.malformed);
      }
      throw e;
    }
    const { results, exitCode } = analysis;
    const result = analysis.check!;
    if (argv.json) process.stdout.write(JSON.stringify(results) + '\n');
    else {
      const s = results.stats;
      const verdict =
        result.valid === true
          ? 'valid'
          : result.valid === false
            ? `INVALID: ${result.counterexample?.explanation ?? ''}`
            : `unknown (${result.reason ?? ''})`;
      process.stdout.write(
        `${dir}: ${s.ops} ops (${s.byType.ok} ok, ${s.byType.fail} fail, ${s.byType.info} info, ${s.byType.pending} pending), model ${model}, checked in ${Math.round(result.ms)} ms\nsplitbrain: ${verdict}\nreport: ${path.join(dir, RUN_FILES.report)}\n`,
      );
    }
    process.exit(exitCode);
  },
};
