/**
 * The hosts file of the SSH runtime: one `[user@]host[:port]` a line (IPv6 as `[addr]:port`),
 * blank lines and `#` comments ignored. Node n1 runs on the first host, n2 on the second, ...
 */
import { readFile } from 'node:fs/promises';

/** One remote host to place a node on. */
export interface SshHost {
  /** The line as written (trimmed), used to name the host in messages. */
  label: string;
  user: string | undefined;
  host: string;
  port: number;
}

/** A hosts file that cannot be read or has a line that is not `[user@]host[:port]`. */
export class HostsFileError extends Error {}

/** Parses one hosts-file line; throws a message naming the problem. */
export function parseHostLine(line: string): SshHost {
  const label = line.trim();
  const m = /^(?:([^@\s]+)@)?(?:\[([0-9A-Fa-f:.]+)\]|([^@\s:[\]]+))(?::(\d+))?$/.exec(label);
  if (m === null) throw new Error(`'${label}' is not [user@]host[:port]`);
  const port = m[4] === undefined ? 22 : Number(m[4]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port ${m[4]} is not 1-65535`);
  return { label, user: m[1], host: (m[2] ?? m[3])!, port };
}

/** Parses a hosts file's text; `file` names it in errors. */
export function parseHostsFile(text: string, file: string): SshHost[] {
  const hosts: SshHost[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    try {
      hosts.push(parseHostLine(line));
    } catch (e) {
      throw new HostsFileError(`hosts file ${file} line ${i + 1}: ${(e as Error).message}`);
    }
  }
  if (hosts.length === 0) throw new HostsFileError(`hosts file ${file} lists no hosts`);
  return hosts;
}

/** Reads and parses a hosts file. */
export async function readHostsFile(file: string): Promise<SshHost[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new HostsFileError(`cannot read hosts file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseHostsFile(text, file);
}
