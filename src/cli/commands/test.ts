/**
 * `splitbrain test`: one command from a fresh cluster to a verdict. Option specs are data; each
 * option has one parse function whose error names the option, the bad value and the choices.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { DB_NAMES, dbByName } from '../../../cluster/db/index.js';
import { MaelstromDb } from '../../../cluster/maelstrom/index.js';
import {
  SSH_OPTIONS,
  sshFlagsOf,
  sshOptionsFromFlags,
  type SshRuntimeOptions,
} from '../../../cluster/runtime/index.js';
import { nemesisPackage, parseNemesisOption } from '../../../nemesis/index.js';
import {
  ETCD_READ_CONSISTENCIES,
  WORKLOAD_NAMES,
  etcdClientPool,
  maelstromClientPool,
  raftkvClientPool,
  workloadByName,
  type ClientEndpoint,
  type EtcdReadConsistency,
} from '../../../workloads/index.js';
import { RUNTIME_NAMES, selectRuntime } from '../../runner/runtimes.js';
import { InfrastructureError, runTest, type TestSpec } from '../../runner/index.js';
import { EXIT, linearizabilityChecker } from '../../analysis/index.js';

interface TestArgs {
  runtime?: string;
  db: string;
  nodes?: number;
  workload: string;
  nemesis: string;
  'nemesis-interval'?: number;
  'time-limit': number;
  concurrency: number;
  rate: number;
  'op-timeout': number;
  seed?: number;
  bug?: string[];
  store: string;
  junit?: string;
  name?: string;
  settle: number;
  'check-time-limit': number;
  'ops-per-key'?: number;
  'read-consistency': string;
  bin?: string;
  'bin-arg'?: string[];
  'record-messages': boolean;
}

/** A usage error: exit 64 with the message. */
class UsageError extends Error {}

const positiveInt = (option: string, v: number, max = Number.MAX_SAFE_INTEGER): number => {
  if (!Number.isInteger(v) || v <= 0 || v > max)
    throw new UsageError(`--${option} must be an integer from 1 to ${max}, got ${v}`);
  return v;
};
const positive = (option: string, v: number): number => {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0))
    throw new UsageError(`--${option} must be a positive number, got ${v}`);
  return v;
};
const oneOf = (option: string, v: string, choices: readonly string[]): string => {
  if (!choices.includes(v))
    throw new UsageError(`--${option}: unknown value '${v}'; choose one of: ${choices.join(', ')}`);
  return v;
};

/** Parses `--nodes`: 1..9 nodes named n1..nN. */
export function parseNodes(v: number): string[] {
  return Array.from({ length: positiveInt('nodes', v, 9) }, (_, i) => `n${i + 1}`);
}

/** The read consistencies each DB's client offers (etcd's are the widest set); raftkv reads are always linearizable. */
export const READ_CONSISTENCIES: Readonly<Record<string, readonly EtcdReadConsistency[]>> = {
  raftkv: ['linearizable'],
  etcd: ETCD_READ_CONSISTENCIES,
  maelstrom: ['linearizable'],
};

/** Parses `--read-consistency` for a DB, refusing a value that DB's client does not offer. */
export function parseReadConsistency(db: string, v: string): EtcdReadConsistency {
  const choices: readonly string[] = READ_CONSISTENCIES[db] ?? ['linearizable'];
  if (!choices.includes(v))
    throw new UsageError(`--read-consistency ${v} is not offered by --db ${db}; choose one of: ${choices.join(', ')}`);
  return v as EtcdReadConsistency;
}

/** Parses `--bin`, `--bin-arg` and `--record-messages`: required with `--db maelstrom`, refused without it. */
export function parseMaelstromOptions(
  db: string,
  argv: Pick<TestArgs, 'bin' | 'bin-arg' | 'record-messages'>,
): { bin: string; binArgs: string[]; recordMessages: boolean } | undefined {
  const binArgs = argv['bin-arg'] ?? [];
  if (db !== 'maelstrom') {
    const stray =
      argv.bin !== undefined
        ? '--bin'
        : binArgs.length > 0
          ? '--bin-arg'
          : argv['record-messages']
            ? '--record-messages'
            : undefined;
    if (stray) throw new UsageError(`${stray} is for --db maelstrom only, not ${db}`);
    return undefined;
  }
  if (argv.bin === undefined || argv.bin === '')
    throw new UsageError('--db maelstrom needs --bin PATH (the node program)');
  return { bin: argv.bin, binArgs: binArgs.map(String), recordMessages: argv['record-messages'] };
}

/** Reads the SSH flags when `--runtime ssh` (refusing them otherwise); a bad hosts file is a usage error. */
async function parseSshFlags(
  runtime: string | undefined,
  argv: Record<string, unknown>,
): Promise<SshRuntimeOptions | undefined> {
  const flags = sshFlagsOf(argv);
  if (runtime !== 'ssh') {
    if (flags.hostsFile !== undefined) throw new UsageError('--hosts-file is for --runtime ssh');
    return undefined;
  }
  try {
    return await sshOptionsFromFlags(flags);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Parses `--seed`, drawing one when absent (printed, so a run can be replayed). */
export function parseSeed(v: number | undefined): number {
  if (v === undefined) return randomInt(1, 2 ** 31 - 1);
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`--seed must be a non-negative integer, got ${v}`);
  return v;
}

function builder(y: Argv): Argv<TestArgs> {
  return y
    .option('runtime', {
      type: 'string',
      choices: RUNTIME_NAMES,
      describe: 'Where nodes run (default: docker if an engine answers, else local; ssh: the --hosts-file hosts)',
    })
    .option('db', { type: 'string', default: 'raftkv', choices: DB_NAMES, describe: 'System under test' })
    .option('nodes', {
      type: 'number',
      describe: 'Cluster size (1-9; default 5, or with --runtime ssh the host count)',
    })
    .options(SSH_OPTIONS)
    .option('workload', { type: 'string', default: 'kv', choices: WORKLOAD_NAMES, describe: 'What the clients do' })
    .option('nemesis', {
      type: 'string',
      default: 'all',
      describe: 'Faults: comma list of partition,kill,pause,clock,packet,packet-delay, or all, or none',
    })
    .option('nemesis-interval', {
      type: 'number',
      describe: 'Seconds a fault is held (default: fits every fault into the time limit, at most 10)',
    })
    .option('time-limit', { type: 'number', default: 60, describe: 'Seconds of client load and faults' })
    .option('concurrency', { type: 'number', default: 10, describe: 'Concurrent client processes' })
    .option('rate', { type: 'number', default: 200, describe: 'Target ops per second over all clients' })
    .option('op-timeout', {
      type: 'number',
      default: 2,
      describe: 'Seconds before an op is given up (read: fail; write/cas: info)',
    })
    .option('seed', {
      type: 'number',
      describe: 'Seed for the workload and nemesis schedules (default: random, printed)',
    })
    .option('bug', { type: 'string', array: true, describe: 'raftkv: switch on an injectable bug (repeatable)' })
    .option('store', { type: 'string', default: 'store', describe: 'Store folder for run folders' })
    .option('junit', { type: 'string', describe: 'Also write a JUnit XML report to this file' })
    .option('name', { type: 'string', describe: 'Test name for the store folder (default: <db>-<workload>)' })
    .option('settle', {
      type: 'number',
      default: 3,
      describe: 'Seconds to let the cluster recover after healing, before the final reads',
    })
    .option('check-time-limit', {
      type: 'number',
      default: 300,
      describe: 'Seconds the checker may take before the verdict is unknown',
    })
    .option('ops-per-key', { type: 'number', describe: 'kv: ops per key before moving to a fresh key (default 200)' })
    .option('read-consistency', {
      type: 'string',
      default: 'linearizable',
      describe: 'How reads are served: linearizable, or (etcd only) serializable: local and possibly stale',
    })
    .option('bin', { type: 'string', describe: 'maelstrom: the node program (speaks Maelstrom JSON on stdin/stdout)' })
    .option('bin-arg', {
      type: 'string',
      array: true,
      describe: 'maelstrom: an argument for the node program (repeatable)',
    })
    .option('record-messages', {
      type: 'boolean',
      default: false,
      describe:
        'maelstrom: write every inter-node message to messages.jsonl; the report draws those around the counterexample',
    })
    .example('$0 test', 'raftkv, 5 nodes, the best runtime, every fault it can inject, 60 s')
    .example(
      '$0 test --runtime local --db raftkv --nodes 5 --workload kv --nemesis partition,kill,pause,clock --time-limit 30',
      'a 30 s run with four kinds of faults',
    ) as unknown as Argv<TestArgs>;
}

/** Turns parsed flags into a test; throws UsageError for bad values. */
async function buildTest(argv: TestArgs, say: (line: string) => void): Promise<TestSpec> {
  const ssh = await parseSshFlags(argv.runtime, argv as unknown as Record<string, unknown>);
  const nodes = parseNodes(argv.nodes ?? ssh?.hosts.length ?? 5);
  const seed = parseSeed(argv.seed);
  const db = oneOf('db', argv.db, DB_NAMES);
  const workloadName = oneOf('workload', argv.workload, WORKLOAD_NAMES);
  const concurrency = positiveInt('concurrency', argv.concurrency, 10_000);
  const rate = positive('rate', argv.rate);
  const timeLimitS = positive('time-limit', argv['time-limit']);
  const opTimeoutMs = positive('op-timeout', argv['op-timeout']) * 1000;
  const bugs = (argv.bug ?? []).flatMap((b) => b.split(',')).filter((b) => b !== '');
  if (bugs.length > 0 && db !== 'raftkv') throw new UsageError(`--bug is for --db raftkv only, not ${db}`);
  const readConsistency = parseReadConsistency(db, argv['read-consistency']);
  const maelstrom = parseMaelstromOptions(db, argv);
  let nemesisRequest;
  try {
    nemesisRequest = parseNemesisOption(argv.nemesis);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const intervalS =
    argv['nemesis-interval'] === undefined ? undefined : positive('nemesis-interval', argv['nemesis-interval']);
  const checkTimeLimitS = positive('check-time-limit', argv['check-time-limit']);
  const opsPerKey = argv['ops-per-key'] === undefined ? undefined : positiveInt('ops-per-key', argv['ops-per-key']);
  const dbLabel = maelstrom ? `maelstrom-${path.basename(maelstrom.bin).replace(/[^A-Za-z0-9._-]/g, '_')}` : db;
  const name = argv.name ?? `${dbLabel}-${workloadName}${bugs.length > 0 ? `-bug-${bugs.join('+')}` : ''}`;
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new UsageError(`--name must be letters, digits, '.', '_' or '-', got '${name}'`);
  let runtime;
  try {
    runtime = await selectRuntime(argv.runtime, say, ssh);
  } catch (e) {
    throw new InfrastructureError('select-runtime', e);
  }
  const workload = workloadByName(workloadName, { concurrency, rate, seed, ...(opsPerKey ? { opsPerKey } : {}) });
  const client = (endpoints: ClientEndpoint[]) =>
    db === 'etcd'
      ? etcdClientPool({ endpoints, opTimeoutMs, readConsistency })
      : db === 'maelstrom'
        ? maelstromClientPool({ endpoints, opTimeoutMs })
        : raftkvClientPool({ endpoints, opTimeoutMs });
  return {
    name,
    nodes,
    runtime,
    db: maelstrom ? new MaelstromDb(maelstrom) : dbByName(db),
    dbOptions: { bugs },
    client,
    workload,
    nemesis: nemesisPackage({ request: nemesisRequest, ...(intervalS ? { intervalS } : {}), timeLimitS, seed }),
    checker: linearizabilityChecker({ timeLimitMs: checkTimeLimitS * 1000 }),
    options: {
      concurrency,
      timeLimitS,
      settleS: Math.max(0, argv.settle),
      seed,
      storeRoot: path.resolve(argv.store),
      ...(argv.junit ? { junitPath: path.resolve(argv.junit) } : {}),
      command: process.argv.slice(1).map((a, i) => (i === 0 ? 'splitbrain' : a)),
      params: {
        db,
        runtime: runtime.name,
        nodes: nodes.length,
        workload: workloadName,
        model: workload.model,
        concurrency,
        rate,
        timeLimitS,
        opTimeoutS: opTimeoutMs / 1000,
        bugs,
        readConsistency,
        ...(maelstrom
          ? { bin: maelstrom.bin, binArgs: maelstrom.binArgs, recordMessages: maelstrom.recordMessages }
          : {}),
      },
    },
  };
}

/** The `test` command. */
export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Run a test: start a cluster, drive clients while the nemesis breaks things, heal, check, report',
  builder,
  handler: async (argv) => {
    const say = (line: string) => process.stderr.write(line + '\n');
    let test: TestSpec;
    try {
      test = await buildTest(argv, say);
    } catch (e) {
      if (e instanceof UsageError) {
        say(`splitbrain: ${e.message}`);
        process.exit(EXIT.usage);
      }
      if (e instanceof InfrastructureError) {
        say(`splitbrain: ${e.message}`);
        process.exit(EXIT.infrastructure);
      }
      throw e;
    }
    const controller = new AbortController();
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        say(`splitbrain: ${sig} again: exiting now without finishing teardown; run 'splitbrain cluster clean'.`);
        process.exit(130);
      }
      say(`splitbrain: ${sig}: stopping, healing and tearing down (press Ctrl-C again to force).`);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const outcome = await runTest(test, { say, live: process.stderr, signal: controller.signal });
    const r = outcome.results;
    const s = r.stats;
    const verdict =
      outcome.exitCode === EXIT.valid
        ? 'valid: the history is linearizable'
        : outcome.exitCode === EXIT.invalid
          ? `INVALID: not linearizable${r.check?.counterexample?.key !== undefined ? ` (key ${JSON.stringify(r.check.counterexample.key)})` : ''}${r.check?.counterexample ? `: ${r.check.counterexample.explanation}` : ''}`
          : outcome.exitCode === EXIT.unknown
            ? `unknown: ${r.check?.reason ?? 'no verdict'}`
            : `error: ${outcome.error}; details in ${outcome.run.log}`;
    if (outcome.exitCode === EXIT.usage) {
      say(`splitbrain: ${outcome.error}`);
      process.exit(EXIT.usage);
    }
    const lines = [
      `${s.ops} ops: ${s.byType.ok} ok, ${s.byType.fail} fail, ${s.byType.info} info, ${s.byType.pending} pending; ${s.throughput.okPerS} ok/s; latency p50 ${s.latencyMs.ok.p50} ms p99 ${s.latencyMs.ok.p99} ms`,
      `nemesis events: ${
        Object.entries(s.nemesisEvents)
          .map(([f, n]) => `${f} ${n}`)
          .join(', ') || 'none'
      }`,
      `run folder: ${outcome.run.dir}`,
      `splitbrain: ${verdict}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    process.exit(outcome.exitCode);
  },
};
