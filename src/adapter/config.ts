/**
 * `splitbrain.config.{ts,mts,js,mjs}`: a team's named tests, kept next to its code and run by
 * `npx splitbrain test` (all of them) or `--test NAME` (one). Each test holds the same settings
 * as the `test` command's flags, camelCased; a flag given on the command line overrides them.
 */
import type { Adapter } from './adapter.js';

/** One named test of a config file; every field defaults as the `test` command's flag does. */
export interface TestConfig {
  /** A bundled adapter's name, a path to an adapter module (relative to the config file), or an adapter. */
  db?: string | Adapter;
  workload?: string;
  /** Comma list of faults (`partition,kill,pause,clock,packet,packet-delay`), `all` or `none`. */
  nemesis?: string;
  nemesisInterval?: number;
  nodes?: number;
  /** `auto` (the best available, also when absent), `docker`, `local` or `ssh` (with --hosts-file). */
  runtime?: 'auto' | 'docker' | 'local' | 'ssh';
  /** Seconds of client load and faults. */
  timeLimit?: number;
  concurrency?: number;
  /** Target ops per second over all clients. */
  rate?: number;
  /** Seconds before an op is given up. */
  opTimeout?: number;
  seed?: number;
  bug?: string[];
  settle?: number;
  checkTimeLimit?: number;
  opsPerKey?: number;
  /** `lock` workload: mean seconds a lock is held before its release. */
  lockHold?: number;
  readConsistency?: string;
}

/** A config file's default export. */
export interface SplitbrainConfig {
  /** Tests by name (the name also names the store folder); run in this order. */
  tests: Record<string, TestConfig>;
  /** Store folder for run folders, relative to the config file (default `store`). */
  store?: string;
}

/** Types a config object and returns it unchanged: `export default defineConfig({ tests: { ... } })`. */
export function defineConfig(config: SplitbrainConfig): SplitbrainConfig {
  return config;
}
