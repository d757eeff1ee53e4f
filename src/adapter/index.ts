/**
 * Adapters point splitbrain at a system (adapter.ts), are found by `--db` (load-adapter.ts), and
 * are named by the tests of a user's `splitbrain.config.ts` (config.ts, find-config.ts).
 */
export {
  adapterProblems,
  dbProblems,
  defaultReadConsistency,
  defineAdapter,
  type Adapter,
  type AdapterClientOptions,
  type AdapterOptions,
} from './adapter.js';
export { AdapterError, loadAdapter } from './load-adapter.js';
export { defineConfig, type SplitbrainConfig, type TestConfig } from './config.js';
export { findConfigFile, loadConfig } from './find-config.js';
