/**
 * Which node dialed a connection the link proxy accepted. A node that binds its outgoing
 * sockets to its own address (raftkv does) is known by the source address. Others (etcd dials
 * from 127.0.0.1) are found on Linux by the socket's owner: the connection's other end is a
 * socket in /proc/net/tcp, its inode is among the open files of one of the run's daemons, and
 * the runtime marks every daemon's environment with its node's name.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { NODE_ENV, RUN_ENV } from '../run-tag.js';

/** An address and port as a socket reports them. */
export interface SocketAddress {
  address: string;
  port: number;
}

/** Renders an IPv4 address and port as /proc/net/tcp does on a little-endian host ("0100007F:1B58"). */
export function procTcpAddress(a: SocketAddress): string | undefined {
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a.address);
  if (!m) return undefined;
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  const ip = [m[4], m[3], m[2], m[1]].map((o) => hex(Number(o), 2)).join('');
  return `${ip}:${hex(a.port, 4)}`;
}

/** Finds, in /proc/net/tcp text, the inode of the socket bound to `local` and connected to `remote`. */
export function findSocketInode(procNetTcp: string, local: string, remote: string): string | undefined {
  for (const line of procNetTcp.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote && f[9] !== undefined && f[9] !== '0') return f[9];
  }
  return undefined;
}

/** Tells which node dialed a connection. */
export class DialerFinder {
  private readonly byAddress: Map<string, string>;
  /** pid -> node, for the run's daemons seen so far. */
  private daemons = new Map<number, string>();

  constructor(
    nodeAddresses: ReadonlyMap<string, string>,
    private readonly runId: string,
  ) {
    this.byAddress = new Map([...nodeAddresses].map(([node, address]) => [address, node]));
  }

  /** The node that owns the socket at `dialer` connected to `listener`, or undefined when unknown. */
  async identify(dialer: SocketAddress, listener: SocketAddress): Promise<string | undefined> {
    const plain = dialer.address.replace(/^::ffff:/, '');
    const byAddress = this.byAddress.get(plain);
    if (byAddress !== undefined) return byAddress;
    if (process.platform !== 'linux') return undefined;
    const local = procTcpAddress(dialer);
    const remote = procTcpAddress(listener);
    if (local === undefined || remote === undefined) return undefined;
    const table = await readFile('/proc/net/tcp', 'latin1').catch(() => '');
    const inode = findSocketInode(table, local, remote);
    if (inode === undefined) return undefined;
    // A restarted daemon has a new pid: look again once before giving up.
    for (const fresh of [false, true]) {
      if (fresh) this.daemons = await this.scanDaemons();
      for (const [pid, node] of this.daemons) if (await ownsSocket(pid, inode)) return node;
    }
    return undefined;
  }

  private async scanDaemons(): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const marker = `${RUN_ENV}=${this.runId}`;
    for (const entry of await readdir('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      const vars = (await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '')).split('\0');
      if (!vars.includes(marker)) continue;
      const node = vars.find((v) => v.startsWith(`${NODE_ENV}=`))?.slice(NODE_ENV.length + 1);
      if (node) out.set(pid, node);
    }
    return out;
  }
}

async function ownsSocket(pid: number, inode: string): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const wanted = `socket:[${inode}]`;
  for (const fd of fds) if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === wanted) return true;
  return false;
}
