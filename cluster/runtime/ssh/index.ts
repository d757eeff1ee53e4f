/** The SSH runtime: nodes on hosts the user already has, reached over SSH. */
export { SshCluster, SshRuntime } from './ssh-runtime.js';
export type { SshRuntimeOptions } from './ssh-runtime.js';
export { HostsFileError, parseHostsFile, readHostsFile } from './hosts-file.js';
export type { SshHost } from './hosts-file.js';
export { defaultKnownHostsFile } from './known-hosts.js';
export { REMOTE_BASE, SSH_DIR_ENV } from './remote-layout.js';
export { SSH_OPTIONS, sshFlagsOf, sshOptionsFromFlags } from './ssh-flags.js';
export type { SshFlags } from './ssh-flags.js';
