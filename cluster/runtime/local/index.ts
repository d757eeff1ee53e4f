/** The local runtime. */
export { LocalCluster, LocalRuntime, namespaceUnavailableReason } from './local-runtime.js';
export type { LocalRuntimeOptions } from './local-runtime.js';
