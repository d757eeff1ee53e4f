import type { Message } from '../core/index.js';

/**
 * Merges the messages one Ready sends to ONE peer into fewer, equivalent ones, so a burst of
 * proposals costs one AppendEntries (and one acknowledgement) per peer per flush instead of one
 * per proposal and one per commit advance. Order is kept; only two rewrites are done:
 *
 * - A MsgApp that continues the previous MsgApp of the same term (its prev index/term is that
 *   message's last entry) is folded into it: entries appended, commit taken from the later one.
 *   The result is exactly an AppendEntries the leader could have sent itself from its log (a
 *   contiguous run of its entries after a matching prev entry, with a commit index it had), so
 *   the follower's consistency check and commit rule see nothing new. Only heartbeats may lie
 *   between the two (moving entries ahead of a heartbeat is a reordering Raft tolerates).
 * - A successful MsgAppResp is dropped when a later successful MsgAppResp of the same term
 *   acknowledges at least as much: Raft is safe under message loss, and the later one carries
 *   everything the leader would learn from the earlier (match only grows).
 *
 * Rejections, votes, heartbeats (and their ReadIndex contexts) and snapshots pass unchanged.
 */
export function coalesceMessages(msgs: readonly Message[], maxEntries: number): Message[] {
  if (msgs.length < 2) return [...msgs];
  const out: (Message | undefined)[] = [];
  /** Position in `out` of the MsgApp later ones may be folded into (-1: none). */
  let app = -1;
  /** Position in `out` of the last successful MsgAppResp (-1: none). */
  let resp = -1;
  for (const m of msgs) {
    if (m.type === 'MsgApp') {
      const prev = app >= 0 ? out[app] : undefined;
      if (prev && continues(prev, m) && (prev.entries?.length ?? 0) + (m.entries?.length ?? 0) <= maxEntries) {
        const merged: Message = { ...prev, entries: [...(prev.entries ?? []), ...(m.entries ?? [])] };
        if (m.commit !== undefined) merged.commit = Math.max(prev.commit ?? 0, m.commit);
        out[app] = merged;
        continue;
      }
      app = out.length;
      out.push(m);
      continue;
    }
    if (m.type === 'MsgAppResp' && !m.reject && m.index !== undefined) {
      const prev = resp >= 0 ? out[resp] : undefined;
      if (prev && prev.term === m.term && prev.to === m.to) {
        if ((prev.index ?? 0) >= m.index) continue; // the earlier one already says more
        out[resp] = undefined;
      }
      resp = out.length;
      out.push(m);
      continue;
    }
    // Anything else ends the runs that may be merged across it, except heartbeats (see above).
    if (m.type !== 'MsgHeartbeat' && m.type !== 'MsgHeartbeatResp') {
      app = -1;
      resp = -1;
    }
    out.push(m);
  }
  return out.filter((m): m is Message => m !== undefined);
}

/** Whether `next` is the MsgApp that directly follows `prev` in the same leader's log. */
function continues(prev: Message, next: Message): boolean {
  if (prev.to !== next.to || prev.from !== next.from || prev.term !== next.term) return false;
  if (prev.index === undefined || next.index === undefined || prev.logTerm === undefined || next.logTerm === undefined)
    return false;
  const ents = prev.entries ?? [];
  const last = ents[ents.length - 1];
  const lastIndex = last ? last.index : prev.index;
  const lastTerm = last ? last.term : prev.logTerm;
  return next.index === lastIndex && next.logTerm === lastTerm;
}
