/** The local runtime. */
export { LocalCluster, LocalRuntime, namespaceUnavailableReason } from './local-runtime.js';
export { ISOLATION_ENV, isolationFromEnv } from './local-runtime.js';
export type { LocalIsolation, LocalRuntimeOptions } from './local-runtime.js';
