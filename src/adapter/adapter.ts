/**
 * An adapter points splitbrain at one system, as Jepsen's db + client pair: how the system comes
 * to life on each node (a DB), how an op becomes a request (a client pool), which workloads its
 * client can run, and the switches it offers (read consistencies, injectable bugs). The bundled
 * raftkv and etcd are adapters, and a user's adapter module is one default export of this shape,
 * loaded by `splitbrain test --db ./path/to/adapter.ts` or named in `splitbrain.config.ts`.
 */
import type { Db } from '../../cluster/db/index.js';
import type { ClientOptions, ClientPool, WorkloadName } from '../../workloads/index.js';

/** The switches of one run, as the CLI or the config chose them among what the adapter offers. */
export interface AdapterOptions {
  /** Injectable bugs to switch on (only names from `Adapter.bugs`). */
  bugs: readonly string[];
  /** How reads are served (one of `Adapter.readConsistencies`; the first when none was chosen). */
  readConsistency: string;
}

/** What a client pool is opened with: the nodes' endpoints, the op timeout and the run's switches. */
export interface AdapterClientOptions extends ClientOptions, AdapterOptions {}

/** One system splitbrain can test. */
export interface Adapter {
  /** Names the system in messages, the store folder and results.json, e.g. `zookeeper`. */
  readonly name: string;
  /** The workloads its client can run; the first is the default. */
  readonly workloads: readonly WorkloadName[];
  /** Read modes it offers, strongest first; the first is the default. Absent: `linearizable` only. */
  readonly readConsistencies?: readonly string[];
  /** Deliberate bugs its DB can switch on (`--bug`), to prove the checker catches them. */
  readonly bugs?: readonly string[];
  /** A fresh DB for one run: starts the system on every node, stops it after. */
  db(options: AdapterOptions): Db;
  /**
   * The client pool for one run. The contract of every `invoke`: `ok` when the op took effect
   * (with the value read), `fail` only when it certainly did not take effect, `info` whenever it
   * may have (a timeout or a lost connection after a write was sent). A read that gets no answer
   * is a `fail`, since it changed nothing. Throwing counts as `info`.
   */
  client(options: AdapterClientOptions): ClientPool;
  /**
   * The Docker image its nodes run on the docker runtime, built if needed (`log` takes progress
   * lines). Absent: splitbrain's node image. Called only when the docker runtime is used.
   */
  image?(log: (line: string) => void): Promise<string>;
  /** Versions to record in results.json, e.g. `{ zookeeper: '3.8.0' }`; never throws. */
  versions?(): Promise<Record<string, string>>;
}

/** Names an adapter's default read consistency. */
export function defaultReadConsistency(adapter: Adapter): string {
  return adapter.readConsistencies?.[0] ?? 'linearizable';
}

/**
 * Types an adapter object and returns it unchanged, so an adapter module reads
 * `export default defineAdapter({ ... })` with every field checked by the compiler.
 */
export function defineAdapter<A extends Adapter>(adapter: A): A {
  return adapter;
}

/**
 * Names what a value lacks to be an adapter, or returns an empty list when it is one. Used on a
 * module's default export, so a wrong module gets one line saying what is missing.
 */
export function adapterProblems(value: unknown): string[] {
  if (value === undefined) return ['a default export (export default defineAdapter({ ... }))'];
  if (value === null || typeof value !== 'object')
    return [`an adapter object as the default export (got ${describe(value)})`];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof v.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(v.name))
    problems.push('name (letters, digits, ".", "_" or "-")');
  if (!Array.isArray(v.workloads) || v.workloads.length === 0 || !v.workloads.every((w) => typeof w === 'string'))
    problems.push('workloads (a non-empty list of workload names)');
  if (typeof v.db !== 'function') problems.push('db() returning a DB');
  if (typeof v.client !== 'function') problems.push('client() returning a client pool');
  if (
    v.readConsistencies !== undefined &&
    !(isStringList(v.readConsistencies) && (v.readConsistencies as unknown[]).length > 0)
  )
    problems.push('readConsistencies as a non-empty list of strings');
  if (v.bugs !== undefined && !isStringList(v.bugs)) problems.push('bugs as a list of strings');
  return problems;
}

/** Names what a DB returned by `adapter.db()` lacks, or returns an empty list. */
export function dbProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [`a DB object from db() (got ${describe(value)})`];
  const v = value as Record<string, unknown>;
  return ['setup', 'teardown', 'clientEndpoint'].filter((m) => typeof v[m] !== 'function').map((m) => `db().${m}()`);
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  return typeof value;
}
