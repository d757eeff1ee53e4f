/**
 * Port choice for a DB's nodes. Each node normally has its own address (a container or a network
 * namespace), so every node uses the same ports; when nodes share one address (local processes
 * without namespaces) each node gets its own ports.
 */
import type { StartedCluster, StartedNode } from '../runtime/index.js';

/** A port for `node`: `base` when addresses are distinct, `base + 10 * index` when shared. */
export function nodePort(cluster: StartedCluster, node: StartedNode, base: number): number {
  const shared = new Set(cluster.nodes.map((n) => n.address)).size < cluster.nodes.length;
  if (!shared) return base;
  const i = cluster.nodes.findIndex((n) => n.name === node.name);
  return base + 10 * i;
}

/** Brackets an IPv6 address for use in a URL or HOST:PORT. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
