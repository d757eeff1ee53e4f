/**
 * `splitbrain test`: one command from a fresh cluster to a verdict. Option specs are data; each
 * option has one parse function whose error names the option, the bad value and the choices.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import {
  BUNDLED_ADAPTERS,
  DEFAULT_ADAPTER,
  FLAG_BUILT_ADAPTERS,
  firstFlagGiven,
  type FlagBuiltRun,
} from '../../adapters/index.js';
import {
  selectRuntime,
  SSH_OPTIONS,
  sshFlagsOf,
  sshOptionsFromFlags,
  type RuntimeChoice,
  type SshRuntimeOptions,
} from '../../../cluster/runtime/index.js';
import { countNemesisEvents, nemesisPackage, parseNemesisOption } from '../../../nemesis/index.js';
import { DEFAULT_HOLD_MS, WORKLOAD_NAMES, workloadByName, type ClientEndpoint } from '../../../workloads/index.js';
import {
  AdapterError,
  adapterProblems,
  dbProblems,
  defaultReadConsistency,
  findConfigFile,
  loadAdapter,
  loadConfig,
  type Adapter,
  type TestConfig,
} from '../../adapter/index.js';
import { readJsonl } from '../../history/index.js';
import type { RunResults } from '../../store/index.js';
import { InfrastructureError, runTest, type TestSpec } from '../../runner/index.js';
import { EXIT, linearizabilityChecker, verdictWord } from '../../analysis/index.js';
import { DEFAULT_NODES, RUNTIME_CHOICES } from '../defaults.js';
import { oneOf, UsageError } from '../usage-error.js';

/** The flags, camelCased as yargs also gives them; a flag absent from the command line is undefined. */
interface TestArgs extends Omit<TestConfig, 'db'> {
  db?: string;
  store?: string;
  junit?: string;
  name?: string;
  test?: string[];
  config?: string;
  json?: boolean;
}

/** What a test runs with when neither the config file nor a flag says otherwise. */
export const TEST_DEFAULTS = {
  nodes: DEFAULT_NODES,
  nemesis: 'all',
  timeLimit: 60,
  concurrency: 10,
  rate: 200,
  opTimeout: 2,
  store: 'store',
  settle: 3,
  checkTimeLimit: 300,
} as const;

/** One test's settings: the config file's, then the flags over them. */
interface Settings extends TestConfig {
  name?: string;
  store?: string;
  junit?: string;
}

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

/** Parses `--nodes`: 1..9 nodes named n1..nN. */
export function parseNodes(v: number): string[] {
  return Array.from({ length: positiveInt('nodes', v, 9) }, (_, i) => `n${i + 1}`);
}

/** Parses `--read-consistency` for an adapter, refusing a value it does not offer; absent: its default. */
export function parseReadConsistency(adapter: Adapter, v: string | undefined): string {
  if (v === undefined) return defaultReadConsistency(adapter);
  const choices = adapter.readConsistencies ?? ['linearizable'];
  if (!choices.includes(v))
    throw new UsageError(
      `--read-consistency ${v} is not offered by --db ${adapter.name}; choose one of: ${choices.join(', ')}`,
    );
  return v;
}

/**
 * Builds the adapter when `db` names one built from its own flags (FLAG_BUILT_ADAPTERS),
 * refusing those flags beside any other `--db`; undefined for every other adapter.
 */
export function parseFlagBuiltAdapter(db: string, argv: Readonly<Record<string, unknown>>): FlagBuiltRun | undefined {
  for (const adapter of FLAG_BUILT_ADAPTERS) {
    if (adapter.name === db) continue;
    const stray = firstFlagGiven(adapter, argv);
    if (stray) throw new UsageError(`--${stray} is for --db ${adapter.name} only, not ${db}`);
  }
  const mine = FLAG_BUILT_ADAPTERS.find((a) => a.name === db);
  try {
    return mine?.build(argv);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
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
  const d = TEST_DEFAULTS;
  return y
    .option('test', {
      type: 'string',
      array: true,
      describe: 'Run only this test of splitbrain.config.* (repeatable; default: every test in it)',
    })
    .option('config', {
      type: 'string',
      describe: 'Config file (default: splitbrain.config.{ts,mts,js,mjs} found from here)',
    })
    .option('runtime', {
      type: 'string',
      choices: RUNTIME_CHOICES,
      describe: 'Where nodes run (default auto: docker if an engine answers, else local; ssh: the --hosts-file hosts)',
    })
    .option('db', {
      type: 'string',
      describe: `System under test: ${[...Object.keys(BUNDLED_ADAPTERS), ...FLAG_BUILT_ADAPTERS.filter((a) => !(a.name in BUNDLED_ADAPTERS)).map((a) => a.summary)].join(', ')}, or a path to an adapter module (.ts, .js, .mjs) (default ${DEFAULT_ADAPTER})`,
    })
    .option('nodes', {
      type: 'number',
      describe: `Cluster size (1-9; default ${d.nodes}, or with --runtime ssh the host count)`,
    })
    .options(SSH_OPTIONS)
    .option('workload', {
      type: 'string',
      describe: `What the clients do: ${WORKLOAD_NAMES.join(', ')} (default: the adapter's first)`,
    })
    .option('nemesis', {
      type: 'string',
      describe: `Faults: comma list of partition,kill,pause,clock,packet,packet-delay, or all, or none (default ${d.nemesis}); figure-8 (raftkv, by name only) plays Raft's figure 8 against the leader`,
    })
    .option('nemesis-interval', {
      type: 'number',
      describe:
        'Mean seconds between two faults of one kind; faults of different kinds overlap, each held 0.5-3 s (default 8)',
    })
    .option('time-limit', { type: 'number', describe: `Seconds of client load and faults (default ${d.timeLimit})` })
    .option('concurrency', { type: 'number', describe: `Concurrent client processes (default ${d.concurrency})` })
    .option('rate', { type: 'number', describe: `Target ops per second over all clients (default ${d.rate})` })
    .option('op-timeout', {
      type: 'number',
      describe: `Seconds before an op is given up (read: fail; write/cas: info) (default ${d.opTimeout})`,
    })
    .option('seed', {
      type: 'number',
      describe: 'Seed for the workload and nemesis schedules (default: random, printed)',
    })
    .option('bug', {
      type: 'string',
      array: true,
      describe: `Switch on one of the adapter's injectable bugs (repeatable); ${Object.entries(BUNDLED_ADAPTERS)
        .map(([name, a]) => `${name}: ${a.bugs?.length ? a.bugs.join(', ') : 'none'}`)
        .join('; ')}`,
    })
    .option('store', { type: 'string', describe: `Store folder for run folders (default ${d.store})` })
    .option('junit', { type: 'string', describe: 'Also write a JUnit XML report to this file' })
    .option('json', {
      type: 'boolean',
      describe:
        'Print one JSON summary line per test on stdout (verdict, seed, failing op, paths); the rest goes to stderr',
    })
    .option('name', { type: 'string', describe: 'Test name for the store folder (default: <db>-<workload>)' })
    .option('settle', {
      type: 'number',
      describe: `Seconds to let the cluster recover after healing, before the final reads (default ${d.settle})`,
    })
    .option('check-time-limit', {
      type: 'number',
      describe: `Seconds the checker may take before the verdict is unknown (default ${d.checkTimeLimit})`,
    })
    .option('ops-per-key', { type: 'number', describe: 'kv: ops per key before moving to a fresh key (default 200)' })
    .option('lock-hold', {
      type: 'number',
      describe: `lock: mean seconds a lock is held before its release (default ${DEFAULT_HOLD_MS / 1000}: longer than a session lasts once cut off)`,
    })
    .option('read-consistency', {
      type: 'string',
      describe: `How reads are served, among the adapter's choices (default: its first); ${Object.entries(
        BUNDLED_ADAPTERS,
      )
        .map(([name, a]) => `${name}: ${(a.readConsistencies ?? ['linearizable']).join(', ')}`)
        .join('; ')}`,
    })
    .options(Object.fromEntries(FLAG_BUILT_ADAPTERS.flatMap((a) => Object.entries(a.flags))))
    .example(
      '$0 test',
      `the tests of splitbrain.config.ts, or else ${DEFAULT_ADAPTER}, 5 nodes, every fault it can inject, 60 s`,
    )
    .example('$0 test --db ./my-adapter.ts --time-limit 30', 'your own system through your adapter')
    .example(
      `$0 test --runtime local --db ${DEFAULT_ADAPTER} --nodes 5 --workload kv --nemesis partition,kill,pause,clock --time-limit 30`,
      'a 30 s run with four kinds of faults',
    ) as unknown as Argv<TestArgs>;
}

/** The flags given on the command line, as settings (yargs leaves absent flags undefined). */
function flagSettings(argv: TestArgs): Settings {
  const keys = [
    'db',
    'workload',
    'nemesis',
    'nemesisInterval',
    'nodes',
    'runtime',
    'timeLimit',
    'concurrency',
    'rate',
    'opTimeout',
    'seed',
    'bug',
    'settle',
    'checkTimeLimit',
    'opsPerKey',
    'lockHold',
    'readConsistency',
    'name',
    'store',
    'junit',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (argv[k] !== undefined) out[k] = argv[k];
  return out as Settings;
}

/** A test to run: its name, where its adapter came from, and its settings with the flags applied. */
interface PlannedTest {
  settings: Settings;
  /** Folder that relative paths in the settings (adapter module, store) are resolved from. */
  baseDir: string;
}

/** The tests this invocation runs: the config file's (all, or those `--test` names), or one from the flags. */
async function planTests(argv: TestArgs, say: (line: string) => void): Promise<PlannedTest[]> {
  const flags = flagSettings(argv);
  const configFile = argv.config ? path.resolve(argv.config) : findConfigFile(process.cwd());
  if (argv.config && !configFile) throw new UsageError(`--config ${argv.config}: no such file`);
  if (!configFile) {
    if (argv.test) throw new UsageError(`--test needs a splitbrain.config.{ts,mts,js,mjs} here or --config FILE`);
    return [{ settings: flags, baseDir: process.cwd() }];
  }
  const config = await loadConfig(configFile);
  const names = argv.test ?? Object.keys(config.tests);
  const unknown = names.filter((n) => !(n in config.tests));
  if (unknown.length > 0)
    throw new UsageError(
      `--test ${unknown.join(', ')}: not in ${configFile}; its tests: ${Object.keys(config.tests).join(', ')}`,
    );
  if (names.length > 1 && flags.name) throw new UsageError('--name names one test; use it with one --test');
  say(`splitbrain: config ${configFile}: ${names.length === 1 ? 'test' : 'tests'} ${names.join(', ')}`);
  const baseDir = path.dirname(configFile);
  return names.map((name) => ({
    settings: {
      name,
      ...(config.store ? { store: path.resolve(baseDir, config.store) } : {}),
      ...config.tests[name],
      ...flags,
    },
    baseDir,
  }));
}

/** Resolves a test's adapter: a bundled name, a module path (from `baseDir`), or an adapter object from a config. */
async function resolveAdapter(db: TestConfig['db'], baseDir: string): Promise<Adapter> {
  if (db === undefined || typeof db === 'string')
    return loadAdapter(
      db ?? DEFAULT_ADAPTER,
      BUNDLED_ADAPTERS,
      baseDir,
      FLAG_BUILT_ADAPTERS.map((a) => a.name),
    );
  const problems = adapterProblems(db);
  if (problems.length > 0) throw new AdapterError(`the config's db is not an adapter: missing ${problems.join(', ')}`);
  return db;
}

/** Turns one planned test into a test value; throws UsageError or AdapterError for bad values. */
async function buildTest(
  { settings: s, baseDir }: PlannedTest,
  argv: TestArgs,
  say: (line: string) => void,
): Promise<TestSpec> {
  const d = TEST_DEFAULTS;
  const ssh = await parseSshFlags(s.runtime, argv as unknown as Record<string, unknown>);
  const flagBuilt = parseFlagBuiltAdapter(
    typeof s.db === 'string' ? s.db : (s.db?.name ?? DEFAULT_ADAPTER),
    argv as unknown as Record<string, unknown>,
  );
  const adapter = flagBuilt?.adapter ?? (await resolveAdapter(s.db, baseDir));
  const nodes = parseNodes(s.nodes ?? ssh?.hosts.length ?? d.nodes);
  const seed = parseSeed(s.seed);
  const workloadName = oneOf('workload', s.workload ?? adapter.workloads[0]!, adapter.workloads);
  oneOf('workload', workloadName, WORKLOAD_NAMES);
  const concurrency = positiveInt('concurrency', s.concurrency ?? d.concurrency, 10_000);
  const rate = positive('rate', s.rate ?? d.rate);
  const timeLimitS = positive('time-limit', s.timeLimit ?? d.timeLimit);
  const opTimeoutMs = positive('op-timeout', s.opTimeout ?? d.opTimeout) * 1000;
  const bugs = (s.bug ?? []).flatMap((b) => b.split(',')).filter((b) => b !== '');
  for (const bug of bugs)
    if (!(adapter.bugs ?? []).includes(bug))
      throw new UsageError(
        adapter.bugs?.length
          ? `--bug: unknown bug '${bug}' for --db ${adapter.name}; choose from: ${adapter.bugs.join(', ')}`
          : `--bug: --db ${adapter.name} has no injectable bugs`,
      );
  const readConsistency = parseReadConsistency(adapter, s.readConsistency);
  let nemesisRequest;
  try {
    nemesisRequest = parseNemesisOption(s.nemesis ?? d.nemesis);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const intervalS = s.nemesisInterval === undefined ? undefined : positive('nemesis-interval', s.nemesisInterval);
  const checkTimeLimitS = positive('check-time-limit', s.checkTimeLimit ?? d.checkTimeLimit);
  const opsPerKey = s.opsPerKey === undefined ? undefined : positiveInt('ops-per-key', s.opsPerKey);
  const holdMs = s.lockHold === undefined ? undefined : positive('lock-hold', s.lockHold) * 1000;
  const dbLabel = flagBuilt?.label ?? adapter.name;
  const name = s.name ?? `${dbLabel}-${workloadName}${bugs.length > 0 ? `-bug-${bugs.join('+')}` : ''}`;
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new UsageError(`--name must be letters, digits, '.', '_' or '-', got '${name}'`);
  const options = { bugs, readConsistency };
  const db = adapter.db(options);
  const missing = dbProblems(db);
  if (missing.length > 0) throw new AdapterError(`adapter ${adapter.name}: its db() lacks ${missing.join(', ')}`);
  const runtimeChoice = oneOf('runtime', s.runtime ?? 'auto', RUNTIME_CHOICES) as RuntimeChoice;
  let runtime;
  try {
    runtime = await selectRuntime(runtimeChoice, { log: say, ...(ssh ? { ssh } : {}) });
    // An adapter with its own image gets a docker runtime that runs it.
    if (runtime.name === 'docker' && adapter.image)
      runtime = await selectRuntime('docker', { log: say, image: await adapter.image(say) });
  } catch (e) {
    throw new InfrastructureError('select-runtime', e);
  }
  if (runtimeChoice === 'auto') say(`splitbrain: runtime ${runtime.name} (the best available here)`);
  const workload = workloadByName(workloadName, {
    concurrency,
    rate,
    seed,
    ...(opsPerKey ? { opsPerKey } : {}),
    ...(holdMs ? { holdMs } : {}),
  });
  const client = (endpoints: ClientEndpoint[]) => adapter.client({ endpoints, opTimeoutMs, ...options });
  return {
    name,
    nodes,
    runtime,
    db,
    dbOptions: { bugs },
    client,
    workload,
    nemesis: nemesisPackage({ request: nemesisRequest, ...(intervalS ? { intervalS } : {}), timeLimitS, seed }),
    checker: linearizabilityChecker({ timeLimitMs: checkTimeLimitS * 1000 }),
    ...(adapter.versions ? { versions: () => adapter.versions!() } : {}),
    options: {
      concurrency,
      timeLimitS,
      settleS: Math.max(0, s.settle ?? d.settle),
      seed,
      storeRoot: path.resolve(s.store ?? d.store),
      ...(s.junit ? { junitPath: path.resolve(s.junit) } : {}),
      command: process.argv.slice(1).map((a, i) => (i === 0 ? 'splitbrain' : a)),
      params: {
        db: adapter.name,
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
        ...(workloadName === 'lock' ? { lockHoldS: (holdMs ?? DEFAULT_HOLD_MS) / 1000 } : {}),
        ...flagBuilt?.params,
      },
    },
  };
}

/** Exit codes by how bad they are: an error outranks an invalid history, which outranks unknown, then valid. */
const EXIT_RANK: readonly number[] = [
  EXIT.valid,
  EXIT.unknown,
  EXIT.invalid,
  EXIT.malformed,
  EXIT.infrastructure,
  EXIT.usage,
];

/** The exit code of several tests: the worst of theirs. */
export function worstExit(codes: readonly number[]): number {
  return codes.reduce((w, c) => (EXIT_RANK.indexOf(c) > EXIT_RANK.indexOf(w) ? c : w), EXIT.valid);
}

/**
 * The verdict line of an invalid run: the counterexample when the history is not linearizable,
 * the node failure when nodes failed by themselves (both when both happened).
 */
function invalidLine(r: RunResults): string {
  const ce = r.check?.counterexample;
  const nodes = r.nodeFailures?.reason;
  if (!ce) return `INVALID: ${nodes ?? r.check?.reason ?? 'not linearizable'}`;
  const key = ce.key !== undefined ? ` (key ${JSON.stringify(ce.key)})` : '';
  return `INVALID: not linearizable${key}: ${ce.explanation}${nodes ? `; also ${nodes}` : ''}`;
}

/** The `test` command. */
export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Run a test: start a cluster, drive clients while the nemesis breaks things, heal, check, report',
  builder,
  handler: async (argv) => {
    const say = (line: string) => process.stderr.write(line + '\n');
    const fail = (e: unknown): never => {
      if (e instanceof UsageError || e instanceof AdapterError) {
        say(`splitbrain: ${e.message}`);
        process.exit(EXIT.usage);
      }
      if (e instanceof InfrastructureError) {
        say(`splitbrain: ${e.message}`);
        process.exit(EXIT.infrastructure);
      }
      throw e;
    };
    let planned: PlannedTest[] = [];
    try {
      planned = await planTests(argv, say);
    } catch (e) {
      fail(e);
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
    const codes: number[] = [];
    for (const plan of planned) {
      if (controller.signal.aborted) break;
      let test: TestSpec | undefined;
      try {
        test = await buildTest(plan, argv, say);
      } catch (e) {
        fail(e);
      }
      codes.push(await runOne(test!, controller.signal, say, argv.json === true));
    }
    process.exit(worstExit(codes));
  },
};

/** The nemesis line of the summary: the faults' events, then the final heal's apart. */
async function describeNemesisEvents(historyFile: string, fallback: Record<string, number>): Promise<string> {
  const list = (counts: Record<string, number>): string =>
    Object.entries(counts)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ');
  try {
    const { faults, finalHeal } = countNemesisEvents((await readJsonl(historyFile)).events);
    const heal = list(finalHeal);
    return `nemesis events: ${list(faults) || 'none'}${heal ? `; final heal: ${heal}` : ''}`;
  } catch {
    return `nemesis events: ${list(fallback) || 'none'}`;
  }
}

/**
 * Runs one test and prints its summary and verdict, the report's path last; with `json`, those
 * lines go to stderr and stdout gets one JSON summary. Returns the test's exit code.
 */
async function runOne(
  test: TestSpec,
  signal: AbortSignal,
  say: (line: string) => void,
  json: boolean,
): Promise<number> {
  const outcome = await runTest(test, { say, live: process.stderr, signal });
  const r = outcome.results;
  const s = r.stats;
  const verdict =
    outcome.exitCode === EXIT.valid
      ? 'valid: the history is linearizable'
      : outcome.exitCode === EXIT.invalid
        ? invalidLine(r)
        : outcome.exitCode === EXIT.unknown
          ? `unknown: ${r.check?.reason ?? 'no verdict'}`
          : `error (adapter ${String(test.options.params.db)}): ${outcome.error}; details in ${outcome.run.log}`;
  if (outcome.exitCode === EXIT.usage) {
    say(`splitbrain: ${test.name}: ${outcome.error}`);
    return EXIT.usage;
  }
  const lines = [
    `${s.ops} ops: ${s.byType.ok} ok, ${s.byType.fail} fail, ${s.byType.info} info, ${s.byType.pending} pending; ${s.throughput.okPerS} ok/s; latency p50 ${s.latencyMs.ok.p50} ms p99 ${s.latencyMs.ok.p99} ms`,
    await describeNemesisEvents(outcome.run.history, s.nemesisEvents),
    `run folder: ${outcome.run.dir}`,
    `splitbrain: ${test.name}: ${verdict}`,
    `report: ${outcome.run.report}`,
  ];
  (json ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
  if (json) {
    const cx = r.check?.counterexample;
    const summary = {
      name: test.name,
      verdict: r.verdict ?? verdictWord(r.valid),
      valid: r.valid,
      exitCode: outcome.exitCode,
      seed: r.seed,
      ...(cx
        ? { failedOp: cx.failedOp, ...(cx.key !== undefined ? { key: cx.key } : {}), explanation: cx.explanation }
        : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ops: s.ops,
      runDir: outcome.run.dir,
      results: outcome.run.results,
      report: outcome.run.report,
    };
    process.stdout.write(JSON.stringify(summary) + '\n');
  }
  return outcome.exitCode;
}
