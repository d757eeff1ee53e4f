/**
 * Where the partition and packet nemeses put their faults: an iptables chain in every node
 * when nodes have their own network stack, else a layer of the runtime's link proxy. The choice
 * is made once per nemesis from what the cluster offers (capabilities.ts has already refused a
 * cluster that has neither); both layers heal, tear down and sweep the same way.
 */
import { hasLinkControl } from '../cluster/runtime/index.js';
import type { StartedCluster } from '../cluster/runtime/index.js';
import type { Grudge } from './grudge.js';
import { IptablesChain, type ChainOutcome } from './iptables-chain.js';
import { computePacketLossRules, computePartitionRules } from './iptables.js';
import { grudgeLinkFaults, packetLossLinkFaults, ProxyLinkLayer } from './proxy-links.js';

/** An iptables chain or a proxy layer. */
export type LinkFaultLayer = IptablesChain | ProxyLinkLayer;

/** The layer for one fault kind: the proxy layer `layer` when links are proxied, else the iptables `chain`. */
export function linkFaultLayer(cluster: StartedCluster, chain: string, layer: string): LinkFaultLayer {
  return hasLinkControl(cluster) ? new ProxyLinkLayer(cluster.links, layer) : new IptablesChain(cluster, chain);
}

/** Cuts what a grudge says, in the layer's terms. */
export function applyGrudge(
  layer: LinkFaultLayer,
  grudge: Grudge,
  addresses: Readonly<Record<string, string>>,
): Promise<ChainOutcome> {
  return layer instanceof ProxyLinkLayer
    ? layer.apply(grudgeLinkFaults(grudge))
    : layer.apply(computePartitionRules(grudge, addresses));
}

/** Puts packet loss on the links of `targets` (or, `inboundOnly`, on what reaches them), in the layer's terms. */
export function applyPacketLoss(
  layer: LinkFaultLayer,
  targets: readonly string[],
  addresses: Readonly<Record<string, string>>,
  probability: number,
  how: { inboundOnly?: boolean } = {},
): Promise<ChainOutcome> {
  return layer instanceof ProxyLinkLayer
    ? layer.apply(packetLossLinkFaults(targets, Object.keys(addresses).sort(), probability, how))
    : layer.apply(computePacketLossRules(targets, addresses, probability, how));
}
