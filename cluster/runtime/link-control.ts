/**
 * An optional capability of a started cluster: its node-to-node links run through a userspace
 * proxy splitbrain controls, so partitions and packet loss can be injected where nodes cannot
 * get their own network stack (not root, no iptables, macOS). A DB asks `peerRoute` for the
 * address its peers should dial; clients keep talking to nodes directly. The nemesis asks
 * `hasLinkControl` before choosing the proxy over iptables.
 */
import type { StartedCluster } from './runtime.js';

/**
 * A fault on one directed link: bytes `from` sends to `to` are lost with probability `loss`
 * per chunk (1 cuts the link outright). Lost data is not removed from a TCP stream, which
 * would corrupt it: it is held back as TCP holds data it must retransmit.
 */
export interface LinkFault {
  from: string;
  to: string;
  loss: number;
}

/** A HOST:PORT pair. */
export interface LinkEndpoint {
  host: string;
  port: number;
}

/** What a cluster whose links run through a proxy offers. */
export interface LinkControl {
  /** Where peers dial to reach `port` on `node`: a proxy listener that forwards there. Idempotent. */
  peerRoute(node: string, port: number): Promise<LinkEndpoint>;
  /**
   * Replaces the faults of one layer (say "partition" or "packet"); layers add up, so a
   * partition and packet loss can be in force at once. Resolves once the proxy holds them.
   */
  setLinkFaults(layer: string, faults: readonly LinkFault[]): Promise<void>;
  /** The faults the proxy holds now, per layer, read back from it. */
  linkFaults(): Promise<Record<string, LinkFault[]>>;
}

/** A started cluster with link control. */
export interface LinkControlled {
  readonly links: LinkControl;
}

/** Says whether a cluster's links run through a proxy the nemesis can fault. */
export function hasLinkControl<C extends StartedCluster>(cluster: C): cluster is C & LinkControlled {
  return (cluster as Partial<LinkControlled>).links !== undefined;
}
