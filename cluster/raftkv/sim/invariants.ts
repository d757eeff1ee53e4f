/**
 * Raft's five safety properties (Raft paper, figure 3), checked as the simulation runs. The
 * observer sees every node's role changes, appends and applied entries, and remembers the first
 * violation. "Committed" here means "applied by some node", which Raft only does after commit.
 */
import type { Entry, NodeId } from '../core/index.js';

/** The five properties of figure 3, plus assertions the core itself makes. */
export type SafetyProperty =
  | 'Election Safety'
  | 'Leader Append-Only'
  | 'Log Matching'
  | 'Leader Completeness'
  | 'State Machine Safety'
  | 'core assertion';

/** The first broken property, where and when. */
export interface Violation {
  property: SafetyProperty;
  detail: string;
  /** Simulated time (ms). */
  time: number;
  node?: NodeId;
}

/** What invariants read of a node's log. */
export interface LogView {
  firstIndex(): number;
  lastIndex(): number;
  /** Term of entry i, undefined when compacted or missing. */
  term(i: number): number | undefined;
}

function sameEntry(a: Entry, b: Entry): boolean {
  return a.term === b.term && a.type === b.type && a.data === b.data;
}

/** Watches a cluster for safety violations; keeps the first one. */
export class SafetyInvariants {
  violation: Violation | undefined;
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** applied[i] is the entry some node applied at index i. */
  private readonly applied: Entry[] = [];
  private maxApplied = 0;

  constructor(private readonly clock: () => number = () => 0) {}

  private fail(property: SafetyProperty, detail: string, node?: NodeId): void {
    if (this.violation) return;
    this.violation = { property, detail, time: this.clock() };
    if (node !== undefined) this.violation.node = node;
  }

  /** Reports any exception the core threw while a bug was on (e.g. told to overwrite a committed entry). */
  coreAssertion(node: NodeId, err: unknown): void {
    this.fail('core assertion', `${node}: ${err instanceof Error ? err.message : String(err)}`, node);
  }

  /**
   * Election Safety (§5.2): at most one leader per term. Leader Completeness (§5.4): a new
   * leader's log holds every entry committed so far.
   */
  onLeader(node: NodeId, term: number, log: LogView): void {
    const prev = this.leaderOfTerm.get(term);
    if (prev !== undefined && prev !== node) {
      this.fail('Election Safety', `${prev} and ${node} were both leader in term ${term}`, node);
      return;
    }
    if (prev === node) return;
    this.leaderOfTerm.set(term, node);
    const first = log.firstIndex();
    for (let i = Math.max(first, 1); i <= this.maxApplied; i++) {
      const e = this.applied[i];
      if (!e) continue;
      const t = log.term(i);
      if (t !== e.term) {
        this.fail(
          'Leader Completeness',
          `${node} became leader of term ${term} without committed entry ${e.term}/${i} (its log has ${t === undefined ? 'nothing' : `term ${t}`} there)`,
          node,
        );
        return;
      }
    }
  }

  /** Leader Append-Only (§5.3): a leader never overwrites or deletes entries in its log. */
  onLeaderAppend(node: NodeId, term: number, firstNew: number, lastStored: number): void {
    if (firstNew <= lastStored) {
      this.fail(
        'Leader Append-Only',
        `leader ${node} of term ${term} rewrote its log from index ${firstNew} (held up to ${lastStored})`,
        node,
      );
    }
  }

  /** State Machine Safety (§5.4.3): no two nodes apply different entries at one index. */
  onApply(node: NodeId, e: Entry): void {
    const prev = this.applied[e.index];
    if (prev === undefined) {
      this.applied[e.index] = e;
      if (e.index > this.maxApplied) this.maxApplied = e.index;
      return;
    }
    if (!sameEntry(prev, e)) {
      this.fail(
        'State Machine Safety',
        `${node} applied ${e.term}/${e.index} ${e.data || 'noop'} where another node applied ${prev.term}/${prev.index} ${prev.data || 'noop'}`,
        node,
      );
    }
  }

  /**
   * Log Matching (§5.3): if two logs hold an entry with the same index and term, they are
   * identical up to it. Checks every pair over the range both still hold.
   */
  checkLogMatching(
    logs: ReadonlyArray<{ node: NodeId; entries: (lo: number, hi: number) => Entry[]; log: LogView }>,
  ): void {
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) {
        const x = logs[a]!;
        const y = logs[b]!;
        const lo = Math.max(x.log.firstIndex(), y.log.firstIndex());
        const hi = Math.min(x.log.lastIndex(), y.log.lastIndex());
        if (lo > hi) continue;
        const ex = x.entries(lo, hi + 1);
        const ey = y.entries(lo, hi + 1);
        let top = -1;
        for (let i = ex.length - 1; i >= 0; i--) {
          if (ex[i]!.term === ey[i]!.term) {
            top = i;
            break;
          }
        }
        for (let i = 0; i <= top; i++) {
          if (!sameEntry(ex[i]!, ey[i]!)) {
            this.fail(
              'Log Matching',
              `${x.node} and ${y.node} agree on ${ex[top]!.term}/${ex[top]!.index} but differ at index ${ex[i]!.index} (${ex[i]!.term} vs ${ey[i]!.term})`,
            );
            return;
          }
        }
      }
    }
  }
}
