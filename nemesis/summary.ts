/**
 * "Did it bite?": pure functions over a finished history. Fault windows pair each fault's start
 * event with its heal; client errors and leader changes are counted inside them; and a fault
 * that was tried but never injected anything makes the run an infrastructure error.
 */
import type { HistoryEvent } from '../src/history/index.js';
import { NemesisDidNotBiteError } from './errors.js';
import { classifyF, type FaultName } from './faults.js';

/** A span of test time during which one fault was in force. Times are the history's nanoseconds. */
export interface FaultWindow {
  fault: FaultName;
  /** The op that opened it, e.g. `start-partition` or `strobe-clock`. */
  f: string;
  start: number;
  end: number;
  /** False when the history ends before the fault's heal event. */
  healed: boolean;
  /** What the opening op did. */
  value: unknown;
}

/** Who the DB said led at one moment (sampled by the runner, e.g. with `watchLeader`). */
export interface LeaderSample {
  time: number;
  leader: string | undefined;
}

/** Per fault kind: how often it was tried, how often it bit, and what happened while it held. */
export interface FaultSummary {
  fault: FaultName;
  /** Start ops invoked. */
  attempted: number;
  /** Start ops that changed something real (a rule added, a process signalled, an offset set). */
  injected: number;
  /**
   * Start ops skipped for the cluster's state at that moment (no leader known, every target
   * already down): nothing was wrong with the injector.
   */
  skipped: number;
  /** Why attempts injected nothing (skips and errors), deduplicated. */
  problems: string[];
  windows: number;
  secondsInForce: number;
  /** Leader changes observed inside this fault's windows; undefined without leader samples. */
  leaderChanges: number | undefined;
  /** Client ops completing `fail` or `info` inside this fault's windows. */
  clientErrors: number;
  /** Set when the fault was injected but cannot have an effect (clock skew on a Go binary). */
  ineffective?: string;
}

/** The nemesis part of a run's results. */
export interface NemesisSummary {
  faults: FaultSummary[];
  /** Requested kinds the schedule never reached before the run ended. */
  notReached: FaultName[];
  clientErrorsOutside: number;
  leaderChangesOutside: number | undefined;
}

interface NemesisValueShape {
  injected?: unknown;
  skipped?: unknown;
  effective?: unknown;
  note?: unknown;
}

const valueOf = (e: HistoryEvent): NemesisValueShape =>
  typeof e.value === 'object' && e.value !== null ? (e.value as NemesisValueShape) : {};

const injectedBy = (e: HistoryEvent): number => {
  const n = valueOf(e).injected;
  return typeof n === 'number' ? n : 0;
};

/**
 * Pairs each fault's first biting start event with the next heal event of the same kind. A
 * fault still in force when the history ends gets a window to the last event's time.
 */
export function computeFaultWindows(history: readonly HistoryEvent[]): FaultWindow[] {
  const open = new Map<FaultName, FaultWindow>();
  const out: FaultWindow[] = [];
  let last = 0;
  // The nemesis process records an invoke when a fault starts and an info once it is in force;
  // a window opens at the invoke (histories from before that have only the info).
  let invokedAt: number | undefined;
  for (const e of history) {
    last = Math.max(last, e.time);
    if (e.process !== 'nemesis') continue;
    if (e.type === 'invoke') {
      invokedAt = e.time;
      continue;
    }
    const startedAt = invokedAt ?? e.time;
    invokedAt = undefined;
    const c = classifyF(e.f);
    if (c === undefined) continue;
    if (c.phase === 'start' && injectedBy(e) > 0 && !open.has(c.fault)) {
      const w: FaultWindow = { fault: c.fault, f: e.f, start: startedAt, end: e.time, healed: false, value: e.value };
      open.set(c.fault, w);
      out.push(w);
    } else if (c.phase === 'stop') {
      const w = open.get(c.fault);
      if (w !== undefined) {
        w.end = e.time;
        w.healed = true;
        open.delete(c.fault);
      }
    }
  }
  for (const w of open.values()) w.end = last;
  return out;
}

const within = (t: number, w: FaultWindow): boolean => t >= w.start && t <= w.end;

/** Counts client completions that are `fail` or `info` inside each fault's windows, and outside all of them. */
export function countClientErrorsInWindows(
  history: readonly HistoryEvent[],
  windows: readonly FaultWindow[],
): { byFault: Partial<Record<FaultName, number>>; outside: number } {
  const byFault: Partial<Record<FaultName, number>> = {};
  let outside = 0;
  for (const e of history) {
    if (e.process === 'nemesis' || (e.type !== 'fail' && e.type !== 'info')) continue;
    const hits = windows.filter((w) => within(e.time, w));
    if (hits.length === 0) outside++;
    for (const fault of new Set(hits.map((w) => w.fault))) byFault[fault] = (byFault[fault] ?? 0) + 1;
  }
  return { byFault, outside };
}

/**
 * Counts leader changes inside each fault's windows, and outside all of them. A change is a
 * sample naming a different leader than the last sample that named one; samples with no
 * leader (an election in progress) neither count nor reset.
 */
export function countLeaderChangesInWindows(
  samples: readonly LeaderSample[],
  windows: readonly FaultWindow[],
): { byFault: Partial<Record<FaultName, number>>; outside: number } {
  const byFault: Partial<Record<FaultName, number>> = {};
  let outside = 0;
  let current: string | undefined;
  for (const s of [...samples].sort((a, b) => a.time - b.time)) {
    if (s.leader === undefined) continue;
    if (current !== undefined && s.leader !== current) {
      const hits = windows.filter((w) => within(s.time, w));
      if (hits.length === 0) outside++;
      for (const fault of new Set(hits.map((w) => w.fault))) byFault[fault] = (byFault[fault] ?? 0) + 1;
    }
    current = s.leader;
  }
  return { byFault, outside };
}

/** Summarizes what the nemesis did in a history, per requested fault kind. */
export function summarizeNemesis(
  history: readonly HistoryEvent[],
  requested: readonly FaultName[],
  leaderSamples?: readonly LeaderSample[],
): NemesisSummary {
  const windows = computeFaultWindows(history);
  const errors = countClientErrorsInWindows(history, windows);
  const leaders = leaderSamples === undefined ? undefined : countLeaderChangesInWindows(leaderSamples, windows);
  const faults = requested.map((fault): FaultSummary => {
    const starts = history.filter(
      (e) =>
        e.process === 'nemesis' &&
        e.type !== 'invoke' &&
        classifyF(e.f)?.fault === fault &&
        classifyF(e.f)?.phase === 'start',
    );
    const biting = starts.filter((e) => injectedBy(e) > 0);
    const skipped = starts.filter(
      (e) => injectedBy(e) === 0 && e.error === undefined && valueOf(e).skipped !== undefined,
    );
    const problems = new Set<string>();
    for (const e of starts) {
      if (injectedBy(e) > 0) continue;
      const skipped = valueOf(e).skipped;
      problems.add(e.error ?? (typeof skipped === 'string' ? skipped : 'injected nothing'));
    }
    const mine = windows.filter((w) => w.fault === fault);
    const moot = biting.map(valueOf).find((v) => v.effective === false);
    const summary: FaultSummary = {
      fault,
      attempted: starts.length,
      injected: biting.length,
      skipped: skipped.length,
      problems: [...problems],
      windows: mine.length,
      secondsInForce: mine.reduce((s, w) => s + (w.end - w.start), 0) / 1e9,
      leaderChanges: leaders === undefined ? undefined : (leaders.byFault[fault] ?? 0),
      clientErrors: errors.byFault[fault] ?? 0,
    };
    if (moot !== undefined) summary.ineffective = typeof moot.note === 'string' ? moot.note : 'recorded as ineffective';
    return summary;
  });
  return {
    faults,
    notReached: faults.filter((f) => f.attempted === 0).map((f) => f.fault),
    clientErrorsOutside: errors.outside,
    leaderChangesOutside: leaders?.outside,
  };
}

/**
 * Throws NemesisDidNotBiteError when a requested fault was tried and never injected anything
 * (attempts skipped for the cluster's state, such as no leader known, do not count as tries).
 * With `requireReached`, a requested fault the schedule never got to fails the run too.
 */
export function assertNemesisBit(summary: NemesisSummary, { requireReached = false } = {}): void {
  const failures = summary.faults
    .filter((f) => (f.attempted - f.skipped > 0 || requireReached) && f.injected === 0)
    .map((f) => ({
      fault: f.fault,
      reason:
        f.attempted === 0
          ? 'never reached before the run ended (lengthen --time-limit or shorten --nemesis-interval)'
          : `${f.attempted} attempt(s), none injected anything (${f.problems.join('; ')})`,
    }));
  if (failures.length > 0) throw new NemesisDidNotBiteError(failures);
}

/**
 * Nemesis completions by `f`, with the final heal counted apart. The final heal runs last and
 * stops every fault kind once, so the last completion of each stop op after the last start is
 * the final heal's; the stops before it ended the schedule's own windows.
 */
export function countNemesisEvents(events: readonly HistoryEvent[]): {
  faults: Record<string, number>;
  finalHeal: Record<string, number>;
} {
  const completions = events.filter((e) => e.process === 'nemesis' && e.type !== 'invoke');
  let lastStart = -1;
  completions.forEach((e, i) => {
    if (classifyF(e.f)?.phase === 'start') lastStart = i;
  });
  const finalAt = new Map<string, number>();
  completions.forEach((e, i) => {
    if (i > lastStart && classifyF(e.f)?.phase === 'stop') finalAt.set(e.f, i);
  });
  const faults: Record<string, number> = {};
  const finalHeal: Record<string, number> = {};
  completions.forEach((e, i) => {
    const into = finalAt.get(e.f) === i ? finalHeal : faults;
    into[e.f] = (into[e.f] ?? 0) + 1;
  });
  return { faults, finalHeal };
}
