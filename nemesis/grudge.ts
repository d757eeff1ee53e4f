/**
 * Who cannot hear whom. A grudge maps a node to the nodes whose packets it drops (Jepsen's
 * word). Grudges are pure data, computed here and applied elsewhere (partition-nemesis.ts turns
 * one into iptables rules), so every shape below is tested as data.
 */
import type { Rng } from '../workloads/index.js';

/** node -> the nodes it cannot hear from. Nodes with no entry hear everyone. */
export type Grudge = Readonly<Record<string, readonly string[]>>;

/** The partition shapes `--nemesis partition` chooses from. */
export const PARTITION_KINDS = [
  'one',
  'leader',
  'halves',
  'random-halves',
  'majorities-ring',
  'bridge',
  'minority-third',
  'lagging-followers',
  'leader-pair',
] as const;

export type PartitionKind = (typeof PARTITION_KINDS)[number];

/** Smallest number of nodes that is more than half of n. */
export const majority = (n: number): number => Math.floor(n / 2) + 1;

/** Splits a list in two at floor(n/2): the first half is the smaller one when n is odd. */
export function bisect<T>(xs: readonly T[]): [T[], T[]] {
  const k = Math.floor(xs.length / 2);
  return [xs.slice(0, k), xs.slice(k)];
}

/** Makes a grudge in which every component hears only itself (a clean cut between components). */
export function completeGrudge(components: readonly (readonly string[])[]): Grudge {
  const all = components.flat();
  const out: Record<string, string[]> = {};
  for (const component of components) {
    const others = all.filter((n) => !component.includes(n)).sort();
    if (others.length === 0) continue;
    for (const node of component) out[node] = others;
  }
  return sorted(out);
}

/** Makes the grudge that cuts one node off from all others, in both directions. */
export function isolateGrudge(nodes: readonly string[], node: string): Grudge {
  return completeGrudge([[node], nodes.filter((n) => n !== node)]);
}

/**
 * Makes a grudge in which every node hears a majority (itself included) and no two nodes hear
 * the same majority: nodes sit on a shuffled ring and each hears the window of `majority(n)`
 * nodes centred on itself. Every node can win votes from a majority, but no majority agrees
 * on who it hears, which is the shape that broke several real systems in Jepsen analyses.
 */
export function majoritiesRingGrudge(nodes: readonly string[], rng: Rng): Grudge {
  const n = nodes.length;
  const m = majority(n);
  const ring = rng.shuffle(nodes);
  const out: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) {
    const window = Array.from({ length: m }, (_, j) => ring[(i + j) % n] as string);
    const centre = window[Math.floor(m / 2)] as string;
    const unheard = nodes.filter((x) => !window.includes(x)).sort();
    if (unheard.length > 0) out[centre] = unheard;
  }
  return sorted(out);
}

/**
 * Makes a grudge that cuts the cluster into two halves joined by one bridge node, which hears
 * and is heard by both sides.
 */
export function bridgeGrudge(nodes: readonly string[], rng: Rng): Grudge {
  const [left, right] = bisect(rng.shuffle(nodes));
  const [bridge, ...rest] = right;
  const cut = completeGrudge([left, rest]);
  const out: Record<string, readonly string[]> = {};
  for (const [node, unheard] of Object.entries(cut)) {
    if (node !== bridge) out[node] = unheard.filter((x) => x !== bridge);
  }
  return sorted(out);
}

/** What the leader-based shapes need to know at the moment they are computed. */
export interface GrudgeContext {
  /** The current leader, asked of the DB; required by `leader`, `lagging-followers` and `leader-pair`. */
  leader?: string | undefined;
  /** The grudge in force just before, for `leader-pair`: the nodes the leader cannot hear there lag behind. */
  previous?: Grudge | undefined;
}

/**
 * Computes the grudge for a partition shape over the given nodes, drawing any randomness
 * from `rng`. Returns undefined when the shape cannot be formed (`leader` with no known
 * leader, or fewer than two nodes).
 */
export function computeGrudge(
  kind: PartitionKind,
  nodes: readonly string[],
  rng: Rng,
  ctx: GrudgeContext = {},
): Grudge | undefined {
  if (nodes.length < 2) return undefined;
  switch (kind) {
    case 'one':
      return isolateGrudge(nodes, rng.pick(nodes));
    case 'leader':
      return ctx.leader !== undefined && nodes.includes(ctx.leader) ? isolateGrudge(nodes, ctx.leader) : undefined;
    // A minority of followers cut off from a leader that keeps committing, so they fall behind with
    // the same last term as everyone.
    case 'lagging-followers': {
      const leader = ctx.leader;
      if (leader === undefined || !nodes.includes(leader) || nodes.length < 3) return undefined;
      const k = Math.max(1, Math.floor((nodes.length - 1) / 2));
      const lagging = rng.shuffle(nodes.filter((n) => n !== leader)).slice(0, k);
      return completeGrudge([lagging, nodes.filter((n) => !lagging.includes(n))]);
    }
    // Then the leader and one up-to-date follower are cut off from the rest: the majority that must
    // elect holds the laggers and as few up-to-date nodes as possible, so a vote that ignores log
    // length elects a lagger, and a correct one must wait for the up-to-date node.
    case 'leader-pair': {
      const leader = ctx.leader;
      if (leader === undefined || !nodes.includes(leader) || nodes.length < 3) return undefined;
      const lagging = new Set(ctx.previous?.[leader] ?? []);
      const upToDate = nodes.filter((n) => n !== leader && !lagging.has(n));
      const partner = upToDate.length > 0 ? rng.pick(upToDate) : rng.pick(nodes.filter((n) => n !== leader));
      const side = [leader, partner];
      if (nodes.length - side.length < majority(nodes.length)) return isolateGrudge(nodes, leader);
      return completeGrudge([side, nodes.filter((n) => !side.includes(n))]);
    }
    // Shuffled: fixed halves would always cut the same nodes ({n1,n2} | {n3,n4,n5}).
    case 'halves':
    case 'random-halves':
      return completeGrudge(bisect(rng.shuffle(nodes)));
    case 'majorities-ring':
      return majoritiesRingGrudge(nodes, rng);
    case 'bridge':
      return nodes.length < 3 ? completeGrudge(bisect(rng.shuffle(nodes))) : bridgeGrudge(nodes, rng);
    case 'minority-third': {
      const k = Math.max(1, Math.floor(nodes.length / 3));
      const shuffled = rng.shuffle(nodes);
      return completeGrudge([shuffled.slice(0, k), shuffled.slice(k)]);
    }
  }
}

/** True when `to` receives what `from` sends under the grudge. */
export function hears(grudge: Grudge, to: string, from: string): boolean {
  return !(grudge[to] ?? []).includes(from);
}

/** The nodes each node hears (itself included), for describing and testing a grudge. */
export function computeHeard(grudge: Grudge, nodes: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(nodes.map((n) => [n, nodes.filter((m) => hears(grudge, n, m))]));
}

/** Renders a grudge on one line, e.g. "n1 -x n3,n4; n2 -x n3,n4", or "none". */
export function describeGrudge(grudge: Grudge): string {
  const parts = Object.entries(grudge).map(([n, unheard]) => `${n} -x ${unheard.join(',')}`);
  return parts.length === 0 ? 'none' : parts.join('; ');
}

function sorted(g: Record<string, readonly string[]>): Grudge {
  return Object.fromEntries(
    Object.keys(g)
      .sort()
      .map((k) => [k, [...(g[k] as readonly string[])].sort()]),
  );
}
