/** The SSH runtime: nodes on hosts the user already has, reached over SSH. */
export { SshRuntime } from './ssh-runtime.js';
export type { SshRuntimeOptions } from './ssh-runtime.js';
export { SSH_OPTIONS, sshFlagsOf, sshOptionsFromFlags } from './ssh-flags.js';
export type { SshFlags } from './ssh-flags.js';
