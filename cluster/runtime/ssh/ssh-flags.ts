/** From the command line's SSH flags to the SSH runtime's options (shared by `test` and `cluster`). */
import { readHostsFile } from './hosts-file.js';
import type { SshRuntimeOptions } from './ssh-runtime.js';

/** The SSH flags as given (`--hosts-file`, `--ssh-key`, ...). */
export interface SshFlags {
  hostsFile?: string;
  key?: string;
  user?: string;
  strictHostKeys?: boolean;
  knownHosts?: string;
}

/** Reads the hosts file and gathers the options; throws HostsFileError for a bad file. */
export async function sshOptionsFromFlags(flags: SshFlags): Promise<SshRuntimeOptions> {
  if (flags.hostsFile === undefined) throw new Error('--runtime ssh needs --hosts-file FILE');
  return {
    hosts: await readHostsFile(flags.hostsFile),
    ...(flags.key !== undefined ? { keyFile: flags.key } : {}),
    ...(flags.user !== undefined ? { user: flags.user } : {}),
    ...(flags.strictHostKeys ? { strictHostKeys: true } : {}),
    ...(flags.knownHosts !== undefined ? { knownHostsFile: flags.knownHosts } : {}),
  };
}

/** The yargs option specs of the SSH flags, for every command that takes them. */
export const SSH_OPTIONS = {
  'hosts-file': { type: 'string', describe: 'ssh runtime: file with one [user@]host[:port] a line (n1 on the first)' },
  'ssh-key': { type: 'string', describe: 'ssh runtime: private key (default: the SSH agent, else ~/.ssh/id_*)' },
  'ssh-user': { type: 'string', describe: 'ssh runtime: user for hosts listed without one (default: yours)' },
  'ssh-strict-host-keys': {
    type: 'boolean',
    describe: 'ssh runtime: refuse hosts not already in the known-hosts file (default: record new ones)',
  },
  'ssh-known-hosts': {
    type: 'string',
    describe: "ssh runtime: splitbrain's known-hosts file (default ~/.splitbrain/known_hosts)",
  },
} as const;

/** Picks the SSH flags out of parsed arguments. */
export function sshFlagsOf(argv: Record<string, unknown>): SshFlags {
  const str = (k: string) => (typeof argv[k] === 'string' ? (argv[k] as string) : undefined);
  const flags: SshFlags = {};
  const hostsFile = str('hosts-file');
  if (hostsFile !== undefined) flags.hostsFile = hostsFile;
  const key = str('ssh-key');
  if (key !== undefined) flags.key = key;
  const user = str('ssh-user');
  if (user !== undefined) flags.user = user;
  if (argv['ssh-strict-host-keys'] === true) flags.strictHostKeys = true;
  const knownHosts = str('ssh-known-hosts');
  if (knownHosts !== undefined) flags.knownHosts = knownHosts;
  return flags;
}
