/**
 * splitbrain's own known-hosts file (OpenSSH's line format: `host keytype base64`, the host
 * written `[host]:port` when the port is not 22), kept apart from the user's ~/.ssh/known_hosts
 * so splitbrain never edits that. Like OpenSSH's `StrictHostKeyChecking accept-new` by default:
 * an unknown host's key is recorded and accepted, a known host must show a recorded key; with
 * `strict`, an unknown host is refused too.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Where splitbrain keeps host keys unless told otherwise. */
export function defaultKnownHostsFile(): string {
  return path.join(homedir(), '.splitbrain', 'known_hosts');
}

/** The host field of a known-hosts line for host:port. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** The keys recorded for `name` in known-hosts text (base64 blobs). */
export function recordedKeys(text: string, name: string): string[] {
  const keys: string[] = [];
  for (const line of text.split('\n')) {
    const [hosts, , key] = line.trim().split(/\s+/);
    if (hosts === undefined || key === undefined || hosts.startsWith('#')) continue;
    if (hosts.split(',').includes(name)) keys.push(key);
  }
  return keys;
}

/**
 * Checks a host key against the file: resolves when accepted (recording it if new and not
 * strict), throws a one-line reason otherwise.
 */
export async function verifyHostKey(
  file: string,
  host: string,
  port: number,
  blob: Buffer,
  strict: boolean,
): Promise<void> {
  const name = knownHostName(host, port);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const known = recordedKeys(text, name);
  const key = blob.toString('base64');
  if (known.includes(key)) return;
  if (known.length > 0) {
    throw new Error(
      `host key changed (${keyType(blob)} key not the one recorded for ${name} in ${file}); if the host was reinstalled, delete its line there`,
    );
  }
  if (strict) {
    throw new Error(
      `host key unknown (${name} is not in ${file} and --ssh-strict-host-keys is set); connect once without it or add the key there`,
    );
  }
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${name} ${keyType(blob)} ${key}\n`, { mode: 0o600 });
}
