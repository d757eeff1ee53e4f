/** The local runtime. */
export { LocalRuntime } from './local-runtime.js';
