/**
 * Picking a private /24 for a run's network that overlaps nothing the host already routes.
 * Runs use 10.242.0.0/16 (Docker) and 10.243.0.0/16 (local namespaces), a range that home
 * routers, Docker's default pools (172.17-31, 192.168) and most VPNs leave alone.
 */
import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/** A /24 subnet and the addresses a run uses in it. */
export interface Subnet {
  /** e.g. "10.242.17.0/24" */
  cidr: string;
  /** The host's address on the bridge (.1), also the Docker gateway. */
  gateway: string;
  /** The address of node `index` (0-based): .11, .12, ... */
  nodeAddress(index: number): string;
}

/** Makes the Subnet for 10.<second>.<third>.0/24. */
export function subnetOf(second: number, third: number): Subnet {
  const prefix = `10.${second}.${third}`;
  return {
    cidr: `${prefix}.0/24`,
    gateway: `${prefix}.1`,
    nodeAddress: (index) => {
      if (index < 0 || index > 200) throw new Error(`node index ${index} does not fit in a /24`);
      return `${prefix}.${11 + index}`;
    },
  };
}

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Says whether two IPv4 CIDRs overlap. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [aIp, aLen] = a.split('/');
  const [bIp, bLen] = b.split('/');
  const len = Math.min(Number(aLen ?? 32), Number(bLen ?? 32));
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return (toInt(aIp!) & mask) >>> 0 === (toInt(bIp!) & mask) >>> 0;
}

/** The IPv4 networks of this host's interfaces, as CIDRs. */
export function hostCidrs(): string[] {
  const out: string[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && a.cidr) out.push(a.cidr);
  }
  return out;
}

/**
 * Picks a /24 in 10.<second>.0.0/16 for `tag` that overlaps none of `taken` (host interface
 * networks are always added). The start is a hash of the tag so concurrent runs rarely probe
 * the same subnets; the creator still retries on a collision it could not see.
 */
export function pickSubnet(second: number, tag: string, taken: string[] = [], skip = 0): Subnet {
  const all = [...taken, ...hostCidrs()];
  const start = createHash('sha256').update(tag).digest().readUInt8(0);
  let skipped = 0;
  for (let i = 0; i < 254; i++) {
    const third = ((start + i) % 254) + 1;
    const candidate = subnetOf(second, third);
    if (all.some((c) => cidrsOverlap(c, candidate.cidr))) continue;
    if (skipped++ < skip) continue;
    return candidate;
  }
  throw new Error(`no free /24 left in 10.${second}.0.0/16`);
}
