/**
 * Majority arithmetic for votes and commit indexes (quorum/majority.go in etcd raft). Pure
 * functions over the voter set; the caller supplies what each voter acknowledged.
 */
import type { NodeId } from './types.js';

/** The number of voters that forms a majority. */
export function quorumSize(voters: readonly NodeId[]): number {
  return Math.floor(voters.length / 2) + 1;
}

/**
 * The largest index acknowledged by a majority: sort the voters' match indexes descending and
 * take the quorum-th. Voters without an entry count as 0.
 */
export function committedIndex(voters: readonly NodeId[], matchOf: (id: NodeId) => number): number {
  if (voters.length === 0) return Infinity;
  const matches = voters.map(matchOf).sort((a, b) => b - a);
  return matches[quorumSize(voters) - 1]!;
}

/** The outcome of an election so far. */
export type VoteResult = 'won' | 'lost' | 'pending';

/** Tallies granted and rejected votes among the voters. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  const q = quorumSize(voters);
  if (granted >= q) return 'won';
  if (voters.length - rejected < q) return 'lost';
  return 'pending';
}
