/**
 * Where a client sends an op, shared by the clients that aim at the leader (raftkv, etcd), as
 * issue 11 asks of them: reads stay at the process's own node with a short timeout, so every node,
 * a deposed leader included, is read from; writes go to the last node that took one and fail over
 * fast, so a leader that was cut off holds up each writer for FAILOVER_MS, not for the op timeout.
 */
import type { ClientEndpoint } from './client.js';

/** How long a write or cas waits for a node's answer before it gives up on that node, ms. */
export const FAILOVER_MS = 400;

/** How long a node that did not answer a write is passed over, ms (one election timeout: by then its followers have elected another leader, or it was only slow). */
export const SUSPECT_MS = 500;

/**
 * How long a read waits for its node, ms: short, so a reader pinned to a paused or cut-off node
 * keeps asking, and the reads that node answers when it comes back were invoked late enough to
 * be judged against what a new leader committed meanwhile.
 */
export const READ_TIMEOUT_MS = 500;

/**
 * The leader the pool last heard of, shared by every process. A node that stopped answering
 * writes is suspect for SUSPECT_MS: followers that have not yet noticed it is gone keep naming it
 * in their redirects, and going back to it would keep every writer waiting on it while a new
 * leader is already taking writes.
 */
export class LeaderHint {
  private at = 0;
  private addr: string | undefined;
  private readonly suspectUntil = new Map<string, number>();

  constructor(
    private readonly endpoints: readonly ClientEndpoint[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Where the next write goes: the last leader seen, else the next node in turn that is not suspect. */
  current(): { addr: string; node: string } {
    if (this.addr !== undefined) return { addr: this.addr, node: nodeNameFor(this.endpoints, this.addr) ?? this.addr };
    for (let i = 0; i < this.endpoints.length; i++) {
      const e = this.endpoints[(this.at + i) % this.endpoints.length]!;
      if (!this.isSuspect(hostPortOf(e.url))) return { addr: hostPortOf(e.url), node: e.node };
    }
    const e = this.endpoints[this.at % this.endpoints.length]!;
    return { addr: hostPortOf(e.url), node: e.node };
  }

  /** The leader the pool last heard of, if any (and not suspect). */
  known(): string | undefined {
    return this.addr !== undefined && !this.isSuspect(this.addr) ? this.addr : undefined;
  }

  /** True while a node that stopped answering is not to be sent writes. */
  isSuspect(addr: string): boolean {
    return (this.suspectUntil.get(addr) ?? 0) > this.now();
  }

  /** A node named the leader (a redirect), or a write succeeded there. */
  saw(addr: string): void {
    if (!this.isSuspect(addr)) this.addr = addr;
  }

  /** A write succeeded at this node: it leads, whatever was suspected. */
  confirmed(addr: string): void {
    this.suspectUntil.delete(addr);
    this.addr = addr;
  }

  /** The node did not answer or said it no longer leads: suspect it and try the next node. */
  failed(addr: string, suspect = true): void {
    if (suspect) this.suspectUntil.set(addr, this.now() + SUSPECT_MS);
    if (this.addr !== undefined && this.addr !== addr) return;
    const i = this.endpoints.findIndex((e) => hostPortOf(e.url) === addr);
    this.at = (i < 0 ? this.at : i) + 1;
    this.addr = undefined;
  }
}

/** The host:port of a base URL such as "http://10.77.0.11:8000" (port 80 when none is given). */
export function hostPortOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname.includes(':') && !u.hostname.startsWith('[') ? `[${u.hostname}]` : u.hostname}:${u.port || '80'}`;
}

/** The node whose endpoint is this host:port, if any. */
export function nodeNameFor(endpoints: readonly ClientEndpoint[], hostPort: string): string | undefined {
  return endpoints.find((e) => e.url === `http://${hostPort}`)?.node;
}
