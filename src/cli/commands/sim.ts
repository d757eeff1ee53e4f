/**
 * `splitbrain sim`: run seeded schedules of the bundled raftkv cluster in one process (simulated
 * network, disk, crashes and clients), judge each by Raft's safety invariants and the
 * linearizability checker, and exit 0 (all valid), 1 (a violation: its seed is printed) or 2
 * (some run undecided).
 */
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { BUG_NAMES, type BugName } from '../../../cluster/raftkv/core/index.js';
import { describeFailure, runSeeds } from '../../../cluster/raftkv/sim/index.js';
import { linearizabilityJudge } from '../../sim/index.js';
import { exitCodeOfVerdict } from '../../analysis/index.js';
import { UsageError } from '../usage-error.js';

/** Bugs the simulator can exercise (`lease-no-margin` needs real clocks, so only the node has it). */
export const SIM_BUGS: readonly BugName[] = BUG_NAMES.filter((b) => b !== 'lease-no-margin');

interface SimArgs {
  seeds: number;
  seed: number;
  bug: string[];
  'time-limit': number;
  verbose: boolean;
  history?: string;
}

/** The `sim` subcommand. */
export const simCommand: CommandModule<object, SimArgs> = {
  command: 'sim',
  describe: 'Run seeded simulations of a 5-node raftkv cluster under faults and check every run',
  builder: (y) =>
    y
      .option('seeds', { type: 'number', default: 100, describe: 'How many seeds to run' })
      .option('seed', { type: 'number', default: 1, describe: 'The first seed' })
      .option('bug', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: `Inject a bug (repeatable): ${SIM_BUGS.join(', ')}`,
      })
      .option('time-limit', { type: 'number', default: 10, describe: 'Checker time limit per run, seconds' })
      .option('verbose', { type: 'boolean', default: false, describe: 'Print one line per seed' })
      .option('history', {
        type: 'string',
        describe: "Write the first invalid run's history here (JSON Lines, for splitbrain check)",
      })
      .check((a) => {
        for (const b of a.bug) {
          if (!(SIM_BUGS as readonly string[]).includes(b)) {
            throw new UsageError(`--bug ${b}: unknown or not simulated; choose one of: ${SIM_BUGS.join(', ')}`);
          }
        }
        if (!Number.isInteger(a.seeds) || a.seeds < 1)
          throw new UsageError(`--seeds ${a.seeds}: must be a positive integer`);
        if (!Number.isInteger(a.seed)) throw new UsageError(`--seed ${a.seed}: must be an integer`);
        const t = a['time-limit'];
        if (!(Number.isFinite(t) && t > 0))
          throw new UsageError(`--time-limit ${t}: must be a positive number of seconds`);
        return true;
      })
      .example('$0 sim --seeds 200', 'simulate seeds 1..200 of the bug-free cluster (exit 0 when every run is valid)')
      .example(
        '$0 sim --seeds 50 --bug stale-read --history bad.jsonl',
        'find a seed the stale-read bug breaks; save its history',
      )
      .example('$0 sim --seeds 1 --seed 17 --verbose', 'replay seed 17 alone') as never,
  handler: (a) => {
    const bugs = a.bug as BugName[];
    const bugFlags = bugs.map((b) => ` --bug ${b}`).join('');
    process.stdout.write(`sim: seeds ${a.seed}..${a.seed + a.seeds - 1}${bugFlags}\n`);
    const summary = runSeeds({
      seeds: a.seeds,
      start: a.seed,
      bugs,
      judge: linearizabilityJudge(a['time-limit'] * 1000),
      onResult: (r) => {
        if (a.verbose) {
          const s = r.stats;
          process.stdout.write(
            `seed ${r.seed} ${r.verdict} family=${r.config.family} ops=${s.ops} ok=${s.ok} fail=${s.fail} info=${s.info} crashes=${s.crashes} maxTerm=${s.maxTerm}\n`,
          );
        }
      },
    });
    const perRun = summary.runs > 0 ? summary.ms / summary.runs : 0;
    const timing = `${summary.runs} run(s), ${summary.ops} client ops, ${(summary.ms / 1000).toFixed(1)} s (${perRun.toFixed(0)} ms/run)`;
    if (summary.invalid) {
      const r = summary.invalid;
      process.stdout.write(`INVALID: seed ${r.seed} (nemesis ${r.config.family}): ${describeFailure(r)}\n`);
      process.stdout.write(`reproduce: splitbrain sim --seeds 1 --seed ${r.seed}${bugFlags}\n${timing}\n`);
      if (a.history !== undefined) {
        writeFileSync(a.history, r.history.map((e) => JSON.stringify(e)).join('\n') + '\n');
        process.stdout.write(`history: ${a.history} (${r.history.length} events)\n`);
      }
      process.exitCode = exitCodeOfVerdict(false);
      return;
    }
    if (summary.unknown.length > 0) {
      process.stdout.write(
        `UNKNOWN: ${summary.unknown.length} run(s) undecided (seeds ${summary.unknown.join(', ')}); ${summary.valid} valid\n${timing}\n`,
      );
      process.exitCode = exitCodeOfVerdict('unknown');
      return;
    }
    process.stdout.write(
      `valid: all ${summary.valid} run(s) kept every safety property and were linearizable\n${timing}\n`,
    );
    process.exitCode = exitCodeOfVerdict(true);
  },
};
