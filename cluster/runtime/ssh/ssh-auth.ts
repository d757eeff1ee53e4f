/**
 * How the SSH runtime authenticates: the key given with --ssh-key, else the SSH agent
 * (SSH_AUTH_SOCK), else the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exists.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** What ssh2 is given to authenticate with, and a description for messages. */
export interface SshAuth {
  privateKey?: Buffer;
  agent?: string;
  /** e.g. "key /root/.ssh/id_ed25519" or "the SSH agent". */
  describe: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Picks the credentials; throws a one-line reason when there are none or the key cannot be read. */
export async function pickAuth(keyFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<SshAuth> {
  if (keyFile !== undefined) return { privateKey: await readKey(keyFile), describe: `key ${keyFile}` };
  const sock = env.SSH_AUTH_SOCK;
  if (sock !== undefined && sock !== '' && existsSync(sock)) return { agent: sock, describe: 'the SSH agent' };
  for (const name of DEFAULT_KEYS) {
    const file = path.join(homedir(), '.ssh', name);
    if (existsSync(file)) return { privateKey: await readKey(file), describe: `key ${file}` };
  }
  throw new Error(
    `no SSH credentials: give --ssh-key, run an SSH agent, or create ~/.ssh/${DEFAULT_KEYS.join(' or ~/.ssh/')}`,
  );
}

async function readKey(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new Error(`cannot read SSH key ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
