/**
 * Which nodes a kill or pause hits. Pure: the random choices come from an injected Rng and the
 * leader, when asked for, from whoever calls (the nemesis asks the DB at invoke time).
 */
import { majority } from './grudge.js';
import type { Rng } from '../workloads/index.js';

/** The target sets `kill` and `pause` choose from (Jepsen's db-nodes specs). */
export const TARGET_KINDS = ['one', 'leader', 'minority', 'majority', 'all'] as const;

export type TargetKind = (typeof TARGET_KINDS)[number];

/** The plan a `kill`, `pause` or packet fault op carries. */
export interface TargetPlan {
  targets: TargetKind;
  /** The nodes, when the schedule drew them; absent for `leader`. */
  nodes?: string[];
}

/**
 * Picks the nodes a target kind names, sorted. `minority` is the largest minority
 * (floor((n-1)/2), at least one node), `majority` the smallest majority. Returns [] when
 * `leader` is asked for and no leader is known.
 */
export function computeTargets(
  kind: TargetKind,
  nodes: readonly string[],
  rng: Rng,
  leader?: string | undefined,
): string[] {
  const take = (k: number): string[] => rng.shuffle(nodes).slice(0, k).sort();
  switch (kind) {
    case 'one':
      return nodes.length === 0 ? [] : [rng.pick(nodes)];
    case 'leader':
      return leader !== undefined && nodes.includes(leader) ? [leader] : [];
    case 'minority':
      return take(Math.max(1, Math.floor((nodes.length - 1) / 2)));
    case 'majority':
      return take(majority(nodes.length));
    case 'all':
      return [...nodes].sort();
  }
}

/**
 * The nodes a plan hits: the ones the schedule drew, else the kind computed here. The leader is
 * asked for (through `askLeader`, so this stays free of the DB) only when the kind is `leader`.
 */
export async function resolveTargets(
  plan: TargetPlan,
  nodes: readonly string[],
  rng: Rng,
  askLeader: () => Promise<string | undefined>,
): Promise<string[]> {
  if (plan.nodes !== undefined) return plan.nodes;
  const leader = plan.targets === 'leader' ? await askLeader() : undefined;
  return computeTargets(plan.targets, nodes, rng, leader);
}
