/**
 * The Wing & Gong linearizability search with Lowe's memoization, over one partition's ops.
 *
 * The history is a doubly linked list of call and return entries in real-time order. At each
 * step the candidates for the next linearization point are the calls that precede the first
 * return still in the list (that return's op must take effect before anything invoked after it).
 * Taking a candidate that the model accepts "lifts" its call and return out of the list and
 * pushes a frame; when no candidate works, the last frame is popped and its entries "unlifted"
 * back (dancing-links style, in LIFO order). A configuration (linearized set, model state) seen
 * before is skipped: its subtree already failed.
 *
 * A configuration's candidates are tried in three passes. First its reads: a read that is legal
 * is taken alone (if that fails, so does the configuration, since it could have been taken
 * first), and a read that no op able to precede it can make legal (Model.unreachable) ends the
 * configuration at once. Then the other ok calls, in call order; then the crashed ones.
 *
 * Crashed ops (no return) differ in two ways. They have no return entry: nothing forces them to
 * take effect, and the search succeeds once every ok op is linearized (a crashed op that is left
 * over never happened). And they live on a list of their own that is tried only after the ok
 * candidates of the current window, so they are placed only where an ok op needs them, instead
 * of being tried first at every step as their early call times would make them.
 */
import { Bitset } from './bitset.js';
import { CRASHED, type FilledModel, type ModelInput } from './model.js';
import type { Operation } from './result.js';
import { giveBack, takeBuffer } from './spare-buffers.js';
import { MemoryBudget, VisitedSet } from './visited.js';

/** Budgets and cancellation for one search. */
export interface SearchLimits {
  /** `Date.now()` after which the search gives up with 'time-limit'. */
  deadline: number;
  /** Budget for the memoization cache, in bytes (ignored when `memory` is given). */
  memoryLimitBytes: number;
  /** A budget shared with other searches of the same check. */
  memory?: MemoryBudget;
  /** Polled with the clock; true stops the search with 'aborted'. */
  shouldStop?: () => boolean;
}

/** Why a search ended without a verdict. */
export type UnknownReason = 'time-limit' | 'memory-limit' | 'aborted';

/** The search's verdict. Indices are positions in the ops array passed in. */
export type SearchOutcome =
  | { valid: true }
  | {
      valid: false;
      /** The longest linearizable prefix found, in order. */
      prefix: number[];
      /** The ok op with the earliest return that the prefix leaves unlinearized. */
      failed: number;
    }
  | { valid: 'unknown'; reason: UnknownReason };

const NIL = -1;
// Phases of trying a configuration's candidates, in order.
const READS = 0;
const MAIN = 1;
const CRASH = 2;
/** What a search holds per op while it runs: the op and its model input as objects, and its arrays. */
export const SEARCH_BYTES_PER_OP = 250;
/** Iterations between clock and stop checks: about a millisecond of work. */
const CHECK_EVERY = 1023;

/** Searches for a linearization of `ops` (ok and crashed; fails already dropped) under `model`. */
export function searchLinearization<S>(
  ops: readonly Operation[],
  model: FilledModel<S>,
  limits: SearchLimits,
): SearchOutcome {
  return new LinearizationSearch(ops, model, limits).run(Infinity)!;
}

/**
 * A search that can be run in slices: `run(budget)` goes on for at most `budget` iterations and
 * returns undefined when it needs more. Slicing lets one thread interleave the parts of a keyed
 * history, so an invalid key is found without first finishing a hard valid one.
 */
export class LinearizationSearch<S> {
  private readonly n: number;
  private readonly E: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly cnext: Int32Array;
  private readonly cprev: Int32Array;
  private readonly entryOp: Int32Array;
  private readonly isCall: Uint8Array;
  private readonly callEntry: Int32Array;
  private readonly returnEntry: Int32Array;
  private readonly okOp: Uint8Array;
  /** Ok read-only ops: once legal as a candidate, taking one is never wrong (see `run`). */
  private readonly forced: Uint8Array;
  /** Crashed ops with the same f, key and value share a class; -1 for ok ops. */
  private readonly klass: Int32Array;
  /** Per class, the crash scan that last tried it (see `run`). */
  private readonly tried: Int32Array;
  private readonly frameScan: Int32Array;
  /** Return time of each ok op. */
  private readonly returnTime: Float64Array;
  /** The model's test for reads no non-reset op can make legal (see Model.unreachable). */
  private readonly unreachable: ((state: S, input: ModelInput, output: unknown) => boolean) | undefined;
  /** Unlinearized reset ops (Model.resets) in call order, linked; head sentinel at index n. */
  private readonly rnext: Int32Array;
  private readonly rprev: Int32Array;
  private readonly isReset: Uint8Array;
  private scans = 0;
  private scan = 0;
  private readonly inputs: ModelInput[];
  private readonly outputs: unknown[];
  private readonly bits: Bitset;
  private readonly visited: VisitedSet<S>;
  private readonly budget: MemoryBudget;
  /** What this search charged the budget for its ops and arrays; given back by `finish`. */
  private footprint = 0;
  private readonly frameOp: Int32Array;
  private readonly frameLimit: Int32Array;
  private readonly frameState: S[];
  /** Longest prefix seen, copied lazily: frames below `low` have not changed since the last copy. */
  private readonly best: Int32Array;
  /** The one buffer every typed array above is a view of; handed back when the search ends. */
  private readonly buffer: ArrayBuffer;
  private bestLen = 0;
  private low = 0;
  // The loop's registers, saved between slices.
  private depth = 0;
  private state: S;
  private remaining = 0;
  private entry: number;
  private centry = NIL;
  private limit: number;
  private phase = READS;
  private iter = 0;
  private outcome: SearchOutcome | undefined;

  constructor(
    private readonly ops: readonly Operation[],
    private readonly model: FilledModel<S>,
    private readonly limits: SearchLimits,
  ) {
    const n = (this.n = ops.length);
    for (const op of ops) if (op.status === 'ok') this.remaining++;
    const ok = this.remaining;
    const E = (this.E = n + ok);
    const HEAD = E; // sentinel of both lists
    const inputs = (this.inputs = ops.map((op) =>
      op.key === undefined ? { f: op.f, value: op.input } : { f: op.f, value: op.input, key: op.key },
    ));
    this.outputs = ops.map((op) => (op.status === 'ok' ? op.output : CRASHED));
    // Crashed ops alike in f, key and value form a class (see `tried`).
    const classes = new Map<string, number>();
    const classOf = (op: Operation): number => {
      const name = `${op.f}\u0000${textOf(op.key)}\u0000${textOf(op.input)}`;
      let k = classes.get(name);
      if (k === undefined) classes.set(name, (k = classes.size));
      return k;
    };
    const crashClass = ops.map((op) => (op.status === 'ok' ? -1 : classOf(op)));

    // Every array is a view into one buffer (zeroed, often the last search's; see
    // spare-buffers.ts): a typed array of more than a few dozen bytes lives outside V8's heap and
    // costs about as much to allocate as searching a small part. Floats first, then ints, then
    // bytes, keeps each aligned.
    const floatCount = n + ok;
    const intCount = 6 * E + 4 + 9 * n + 2 + classes.size + ok;
    const buffer = (this.buffer = takeBuffer(8 * floatCount + 4 * intCount + E + 3 * n));
    let usedFloats = 0;
    let usedInts = 0;
    let usedBytes = 0;
    const float64 = (length: number): Float64Array => {
      const view = new Float64Array(buffer, 8 * usedFloats, length);
      usedFloats += length;
      return view;
    };
    const int32 = (length: number): Int32Array => {
      const view = new Int32Array(buffer, 8 * floatCount + 4 * usedInts, length);
      usedInts += length;
      return view;
    };
    const uint8 = (length: number): Uint8Array => {
      const view = new Uint8Array(buffer, 8 * floatCount + 4 * intCount + usedBytes, length);
      usedBytes += length;
      return view;
    };
    const order = int32(E);
    realTimeOrder(ops, order, int32(ok), float64(ok));
    const next = (this.next = int32(E + 1).fill(NIL));
    const prev = (this.prev = int32(E + 1).fill(NIL));
    const cnext = (this.cnext = int32(E + 1).fill(NIL));
    const cprev = (this.cprev = int32(E + 1).fill(NIL));
    const entryOp = (this.entryOp = int32(E));
    const isCall = (this.isCall = uint8(E));
    const callEntry = (this.callEntry = int32(n));
    const returnEntry = (this.returnEntry = int32(n).fill(NIL));
    let tail = HEAD;
    let ctail = HEAD;
    for (let r = 0; r < E; r++) {
      const x = order[r]!;
      const i = x >> 1;
      entryOp[r] = i;
      if ((x & 1) === 0) {
        isCall[r] = 1;
        callEntry[i] = r;
        if (ops[i]!.status !== 'ok') {
          cnext[ctail] = r;
          cprev[r] = ctail;
          ctail = r;
          continue;
        }
      } else {
        returnEntry[i] = r;
      }
      next[tail] = r;
      prev[r] = tail;
      tail = r;
    }

    const okOp = (this.okOp = uint8(n));
    for (let i = 0; i < n; i++) okOp[i] = ops[i]!.status === 'ok' ? 1 : 0;
    const forced = (this.forced = uint8(n));
    if (model.readOnly) for (let i = 0; i < n; i++) forced[i] = okOp[i] === 1 && model.readOnly(inputs[i]!) ? 1 : 0;
    this.klass = int32(n);
    this.klass.set(crashClass);
    this.tried = int32(classes.size);
    this.returnTime = float64(n);
    for (let i = 0; i < n; i++) this.returnTime[i] = ops[i]!.return ?? Infinity;
    this.unreachable = model.unreachable;
    this.rnext = int32(n + 1).fill(NIL);
    this.rprev = int32(n + 1).fill(NIL);
    this.isReset = uint8(n);
    if (model.unreachable) {
      const resets: number[] = [];
      for (let i = 0; i < n; i++) if (model.resets?.(inputs[i]!)) resets.push(i);
      resets.sort((a, b) => ops[a]!.call - ops[b]!.call);
      let rtail = n;
      for (const i of resets) {
        this.isReset[i] = 1;
        this.rnext[rtail] = i;
        this.rprev[i] = rtail;
        rtail = i;
      }
    }
    this.frameScan = int32(n);
    this.bits = new Bitset(n);
    this.budget = limits.memory ?? new MemoryBudget(limits.memoryLimitBytes);
    this.visited = new VisitedSet<S>(n, model.equal, this.budget);
    this.frameOp = int32(n);
    this.frameLimit = int32(n);
    this.frameState = new Array<S>(n);
    this.best = int32(n);
    this.state = model.init();
    this.entry = next[HEAD]!;
    this.limit = E;
    // The ops and these arrays are held until the search ends (many may wait at once when a
    // keyed history is interleaved), so they count against the budget too.
    this.footprint = n * SEARCH_BYTES_PER_OP;
    this.budget.used += this.footprint;
    if (this.remaining === 0) this.finish({ valid: true });
    else if (this.budget.used > this.budget.limit) this.finish({ valid: 'unknown', reason: 'memory-limit' });
  }

  /** Runs at most `budget` more iterations; the outcome, or undefined when not done yet. */
  run(budget: number): SearchOutcome | undefined {
    if (this.outcome) return this.outcome;
    const {
      next,
      prev,
      cnext,
      cprev,
      entryOp,
      isCall,
      callEntry,
      returnEntry,
      okOp,
      forced,
      inputs,
      outputs,
      bits,
      visited,
    } = this;
    const { frameOp, frameLimit, frameState, frameScan, klass, tried, best, E, n } = this;
    const { returnTime, unreachable, rnext, rprev, isReset, ops } = this;
    const HEAD = E;
    // Whether read r can never become legal: not from this state by non-resets, nor from the
    // state any reset called in time to precede r leaves.
    const hopeless = (r: number): boolean => {
      const input = inputs[r]!;
      const output = outputs[r];
      if (!unreachable!(state, input, output)) return false;
      for (let q = rnext[n]!; q !== NIL && ops[q]!.call <= returnTime[r]!; q = rnext[q]!) {
        const after = step(state, inputs[q]!, outputs[q]);
        if (after.ok && !unreachable!(after.next, input, output)) return false;
      }
      return true;
    };
    const step = this.model.step;
    const hash = this.model.hash;
    const { deadline, shouldStop } = this.limits;
    let { depth, state, remaining, entry, centry, limit, phase, iter, scan, scans } = this;
    const stopAt = iter + budget;

    for (;;) {
      if ((++iter & CHECK_EVERY) === 0) {
        if (Date.now() > deadline) return this.finish({ valid: 'unknown', reason: 'time-limit' });
        if (shouldStop?.()) return this.finish({ valid: 'unknown', reason: 'aborted' });
      }
      if (iter > stopAt) {
        Object.assign(this, { depth, state, remaining, entry, centry, limit, phase, iter, scan, scans });
        return undefined;
      }
      // This configuration's candidates: legal reads first, then the window's other ok calls,
      // then its crashed calls.
      let candidate = NIL;
      let from = phase;
      if (phase === READS) {
        while (entry !== NIL && isCall[entry] === 1 && forced[entryOp[entry]!] === 0) entry = next[entry]!;
        if (entry !== NIL && isCall[entry] === 1) {
          candidate = entryOp[entry]!;
          if (unreachable !== undefined && hopeless(candidate)) {
            // This read must take effect before any op called after it returned, and no op
            // called before that can make it legal: nothing from here on can.
            phase = CRASH;
            centry = NIL;
            continue;
          }
        } else {
          limit = entry === NIL ? E : entry;
          phase = MAIN;
          entry = next[HEAD]!;
        }
      }
      if (phase === MAIN) {
        // The window's reads were all illegal in this state: skip them.
        while (entry !== limit && forced[entryOp[entry]!] === 1) entry = next[entry]!;
        from = MAIN;
        if (entry !== limit) candidate = entryOp[entry]!;
        else {
          phase = CRASH;
          centry = cnext[HEAD]!;
          scan = ++scans;
        }
      }
      if (phase === CRASH && centry !== NIL && centry < limit) {
        from = CRASH;
        candidate = entryOp[centry]!;
        // Crashed ops alike in everything but their (already passed) call times are
        // interchangeable from here on: if one failed in this window, so would the others.
        const k = klass[candidate]!;
        if (tried[k] === scan) {
          centry = cnext[centry]!;
          continue;
        }
        tried[k] = scan;
      }

      if (candidate !== NIL) {
        const i = candidate;
        const result = step(state, inputs[i]!, outputs[i]);
        if (result.ok) {
          bits.set(i);
          if (visited.add(bits, result.next, hash(result.next))) {
            frameOp[depth] = i;
            frameLimit[depth] = limit;
            frameScan[depth] = scan;
            frameState[depth] = state;
            depth++;
            state = result.next;
            if (isReset[i] === 1) {
              rnext[rprev[i]!] = rnext[i]!;
              if (rnext[i] !== NIL) rprev[rnext[i]!] = rprev[i]!;
            }
            const c = callEntry[i]!;
            if (okOp[i] === 1) {
              const r = returnEntry[i]!;
              next[prev[c]!] = next[c]!;
              if (next[c] !== NIL) prev[next[c]!] = prev[c]!;
              next[prev[r]!] = next[r]!;
              if (next[r] !== NIL) prev[next[r]!] = prev[r]!;
              if (--remaining === 0) return this.finish({ valid: true });
            } else {
              cnext[cprev[c]!] = cnext[c]!;
              if (cnext[c] !== NIL) cprev[cnext[c]!] = cprev[c]!;
            }
            if (visited.full) return this.finish({ valid: 'unknown', reason: 'memory-limit' });
            entry = next[HEAD]!;
            phase = READS;
            continue;
          }
          bits.clear(i);
          if (from === READS) {
            // The configuration after this read was searched before and failed, so this one fails.
            phase = CRASH;
            centry = NIL;
            continue;
          }
        }
        if (from === READS || from === MAIN) entry = next[entry]!;
        else if (from === CRASH) centry = cnext[centry]!;
        continue;
      }

      // No candidate left in this window: undo the last choice and try the one after it.
      if (depth === 0) {
        return this.finish({ valid: false, prefix: this.bestPrefix(), failed: this.failedAfterBest() });
      }
      if (depth > this.bestLen) {
        best.set(frameOp.subarray(this.low, depth), this.low);
        this.bestLen = depth;
        this.low = depth;
      }
      depth--;
      if (depth < this.low) this.low = depth;
      const i = frameOp[depth]!;
      state = frameState[depth]!;
      bits.clear(i);
      if (isReset[i] === 1) {
        rnext[rprev[i]!] = i;
        if (rnext[i] !== NIL) rprev[rnext[i]!] = i;
      }
      limit = frameLimit[depth]!;
      const c = callEntry[i]!;
      if (okOp[i] === 1) {
        const r = returnEntry[i]!;
        next[prev[r]!] = r;
        if (next[r] !== NIL) prev[next[r]!] = r;
        next[prev[c]!] = c;
        if (next[c] !== NIL) prev[next[c]!] = c;
        remaining++;
        if (forced[i] === 1) {
          // A read that was legal where it was taken: every linearization from here could have
          // taken it first (it changes no state, and every op that must precede it already
          // has), so its failure is this configuration's failure. Skip the other candidates.
          phase = CRASH;
          centry = NIL;
        } else {
          entry = next[c]!;
          phase = MAIN;
        }
      } else {
        cnext[cprev[c]!] = c;
        if (cnext[c] !== NIL) cprev[cnext[c]!] = c;
        centry = cnext[c]!;
        scan = frameScan[depth]!;
        tried[klass[i]!] = scan;
        phase = CRASH;
      }
    }
  }

  private finish(outcome: SearchOutcome): SearchOutcome {
    this.outcome = outcome;
    this.visited.release();
    // Every array of this search is a view of the buffer, and none is read once it has an outcome.
    giveBack(this.buffer);
    this.budget.used -= this.footprint;
    this.footprint = 0;
    return outcome;
  }

  /** The longest prefix seen, as a plain array (a plain loop: Array.from on a typed array is many times slower). */
  private bestPrefix(): number[] {
    const prefix = new Array<number>(this.bestLen);
    for (let k = 0; k < this.bestLen; k++) prefix[k] = this.best[k]!;
    return prefix;
  }

  /** The ok op with the earliest return that the best prefix leaves out. */
  private failedAfterBest(): number {
    // The search is over, so its bitset is free to mark the prefix's ops.
    const done = this.bits;
    done.words.fill(0);
    for (let k = 0; k < this.bestLen; k++) done.set(this.best[k]!);
    let failed = NIL;
    for (let i = 0; i < this.n; i++) {
      if (this.okOp[i] !== 1 || done.has(i)) continue;
      if (failed === NIL || (this.ops[i]!.return as number) < (this.ops[failed]!.return as number)) failed = i;
    }
    return failed;
  }
}

/** A value as text for grouping: cheap for numbers, exact for everything JSON can hold. */
function textOf(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? `n${v}` : JSON.stringify(v);
}

/**
 * Writes the search's entries in real-time order into `order` (length: ops plus ok ops): entry 2i
 * is op i's call, 2i + 1 its return (ok ops only). Calls sort before returns at equal times:
 * intervals are closed, so touching ops count as concurrent (the permissive choice); ties
 * otherwise go by op index. `rets` and `retTime` (one slot per ok op) are scratch.
 *
 * Ops come in invoke order, so calls are already sorted and returns nearly so (out of place by
 * about the number of ops running at once): an insertion sort of the returns and a merge beat a
 * general sort several times over. Input that is far from that falls back to the general sort.
 */
function realTimeOrder(ops: readonly Operation[], order: Int32Array, rets: Int32Array, retTime: Float64Array): void {
  const n = ops.length;
  let calls = true;
  for (let i = 1; i < n && calls; i++) calls = ops[i - 1]!.call <= ops[i]!.call;
  let count = 0;
  let moves = 0;
  for (let i = 0; i < n && calls && moves <= 32 * n; i++) {
    const t = ops[i]!.return;
    if (t === null) continue;
    let j = count++;
    while (j > 0 && retTime[j - 1]! > t) {
      rets[j] = rets[j - 1]!;
      retTime[j] = retTime[j - 1]!;
      j--;
      moves++;
    }
    rets[j] = i;
    retTime[j] = t;
  }
  if (calls && moves <= 32 * n) {
    let c = 0;
    let r = 0;
    for (let k = 0; k < order.length; k++) {
      if (r === count || (c < n && ops[c]!.call <= retTime[r]!)) order[k] = 2 * c++;
      else order[k] = 2 * rets[r++]! + 1;
    }
    return;
  }
  const general: number[] = [];
  for (let i = 0; i < n; i++) {
    general.push(i * 2);
    if (ops[i]!.status === 'ok') general.push(i * 2 + 1);
  }
  const timeOf = (x: number): number => ((x & 1) === 0 ? ops[x >> 1]!.call : (ops[x >> 1]!.return as number));
  general.sort((a, b) => timeOf(a) - timeOf(b) || (a & 1) - (b & 1) || a - b);
  order.set(general);
}
