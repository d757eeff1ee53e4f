import {
  describeNs,
  explainCounterexample,
  opName,
  type CheckResult,
  type Counterexample,
  type LinearizationStep,
  type Operation,
} from '../../checker/index.js';
import type { HistoryEvent, Key } from '../history/index.js';
import { computeFaultBands, type FaultBand } from './fault-bands.js';
import { FAULT_STYLES, type FaultStyle } from './fault-styles.js';
import type { MinimizeResult } from './minimize.js';
import { reportOpsOf, type ReportOp } from './report-op.js';
import { computePlotData, hasRealTimes, type PlotData } from './plot-data.js';

/** An op of a counterexample picture, with the raw events it was paired from (for the tooltip). */
export interface TimelineOp extends Operation {
  events: HistoryEvent[];
}

/** One timeline: the ops of one key, which one fails, and the linearization points before it. */
export interface TimelineData {
  ops: TimelineOp[];
  failedOp: number;
  prefix: LinearizationStep[];
  concurrent: number[];
  /** Ops of the key left out of this picture before and after the window shown. */
  omittedBefore: number;
  omittedAfter: number;
  /** Ops the minimized check treated as free and linearized (not drawn; named in the linearization table). */
  free: TimelineOp[];
}

/**
 * One row of the full-history table, as a positional array to keep a 100,000-op report small:
 * process, type, f, key, input, output, call (ns), completion (ns), node, error, invoke index.
 * A nemesis event is a row of its own (process and type `nemesis`, its value as input), in
 * history order among the ops, as Jepsen's history shows it.
 */
export type HistoryRow = [
  number | 'nemesis',
  'ok' | 'fail' | 'info' | 'nemesis',
  string,
  Key | null,
  unknown,
  unknown,
  number,
  number | null,
  string | null,
  string | null,
  number,
];

/** Everything the page script draws, embedded in the report as one JSON value. */
export interface ReportData {
  verdict: 'valid' | 'invalid' | 'unknown';
  /** False when times are synthetic (imported logs number their lines); shown as `t=N`, not ns. */
  realTimes: boolean;
  counterexample: null | {
    key?: Key;
    /**
     * The op the checker could not linearize, named as the CLI, results.json and JUnit name it
     * (`op N`, N its position in the history file); the minimized picture leads with the same op.
     */
    failedOp: string;
    explanation: string;
    /** The minimized picture (or the checker's, when minimization was skipped or found nothing). */
    minimized: TimelineData;
    /** All ops of the failing key (windowed around the failed op when there are many). */
    full: TimelineData;
    minimize: { from: number; to: number; free: number; checks: number; minimal: boolean; error?: string } | null;
  };
  faults: FaultBand[];
  /** How to draw each fault kind (the page script has no table of its own). */
  faultStyles: Readonly<Record<string, FaultStyle>>;
  history: { rows: HistoryRow[]; failedRow: number | null };
  plots: PlotData | null;
}

/** The full-history table: client ops and nemesis events in file order, and the failed op's row. */
function historyTable(
  paired: readonly ReportOp[],
  events: readonly HistoryEvent[],
  failedInvoke: number | undefined,
): ReportData['history'] {
  const rows: HistoryRow[] = paired.map((op) => [
    op.process,
    op.type,
    op.f,
    op.key ?? null,
    op.input ?? null,
    op.output ?? null,
    op.call,
    op.complete,
    op.node ?? null,
    op.error ?? null,
    op.invokeIndex,
  ]);
  events.forEach((e, i) => {
    if (e.process !== 'nemesis') return;
    rows.push([
      'nemesis',
      'nemesis',
      e.f,
      null,
      e.value ?? null,
      null,
      e.time,
      null,
      null,
      e.error ?? null,
      e.index ?? i,
    ]);
  });
  rows.sort((a, b) => a[10] - b[10]);
  const failedRow =
    failedInvoke === undefined ? -1 : rows.findIndex((r) => r[1] !== 'nemesis' && r[10] === failedInvoke);
  return { rows, failedRow: failedRow < 0 ? null : failedRow };
}

/** Ops beyond this many around the failed op are left out of the full-key timeline. */
const FULL_TIMELINE_WINDOW = 300;

/** Builds the embedded data of a report from a check result, its history and a minimization. */
export function buildReportData(
  result: CheckResult,
  events: readonly HistoryEvent[],
  minimized: MinimizeResult | null,
  plots: boolean | undefined,
): ReportData {
  const byIndex = new Map<number, HistoryEvent>();
  events.forEach((e, i) => byIndex.set(e.index ?? i, e));
  const paired = reportOpsOf(events);
  const cx = result.valid === false ? result.counterexample : undefined;
  const failedByChecker = cx?.ops.find((op) => op.id === cx.failedOp);
  const failedInvoke = failedByChecker?.invokeIndex;

  const realTimes = hasRealTimes(paired);
  let counterexample: ReportData['counterexample'] = null;
  if (cx) {
    const small = minimized?.counterexample ?? cx;
    const explanation = explainPicture(
      result.model,
      cx,
      small,
      minimized?.free ?? [],
      realTimes ? describeNs : (t) => `t=${t}`,
    );
    counterexample = {
      failedOp: failedByChecker ? opName(failedByChecker) : `op ${cx.failedOp}`,
      explanation,
      minimized: timeline(small, byIndex, FULL_TIMELINE_WINDOW, minimized?.free ?? []),
      full: timeline(cx, byIndex, FULL_TIMELINE_WINDOW),
      minimize: minimized
        ? {
            from: minimized.from,
            to: minimized.to,
            free: minimized.free.length,
            checks: minimized.checks,
            minimal: minimized.minimal,
            ...(minimized.error !== undefined ? { error: minimized.error } : {}),
          }
        : null,
    };
    if (cx.key !== undefined) counterexample.key = cx.key;
  }

  return {
    verdict: result.valid === true ? 'valid' : result.valid === false ? 'invalid' : 'unknown',
    realTimes,
    counterexample,
    faults: computeFaultBands(events),
    faultStyles: FAULT_STYLES,
    history: historyTable(paired, events, failedInvoke),
    plots: (plots ?? realTimes) ? computePlotData(paired) : null,
  };
}

/**
 * The explanation of the counterexample drawn, written by the checker's own explainer so the
 * report and the checker never disagree. The re-check's ops (drawn, and set aside as free) are
 * replayed as the re-check saw them, the sentences are read off the same ops as recorded (`cx`,
 * matched by invoke index), and only the ops drawn are named, by their position in the history
 * file as everywhere else. A model
 * the checker does not know by name keeps the checker's sentence.
 */
function explainPicture(
  model: string,
  cx: Counterexample,
  small: Counterexample,
  free: readonly Operation[],
  describeTime: (ns: number) => string,
): string {
  const drawn = new Set(small.ops.map((op) => op.id));
  const ops = [...small.ops, ...free].sort((a, b) => a.id - b.id);
  const asRecorded = new Map(cx.ops.map((op) => [op.invokeIndex, op]));
  const recorded = ops.map((op) => {
    const real = asRecorded.get(op.invokeIndex);
    return real ? { ...real, id: op.id } : op;
  });
  try {
    return explainCounterexample({ ...small, ops }, model, {
      describeTime,
      nameOp: (op) => (drawn.has(op.id) ? opName(op) : undefined),
      recorded,
    });
  } catch {
    return small.explanation.trim() || cx.explanation.trim() || `Operation ${small.failedOp} cannot be linearized.`;
  }
}

/** The ops of a counterexample as a timeline, keeping at most `window` ops nearest the failed one. */
function timeline(
  cx: Counterexample,
  byIndex: Map<number, HistoryEvent>,
  window: number,
  free: Operation[] = [],
): TimelineData {
  const failed = cx.ops.find((op) => op.id === cx.failedOp);
  let ops = cx.ops;
  if (failed && ops.length > window) {
    ops = [...ops]
      .sort((a, b) => Math.abs(a.call - failed.call) - Math.abs(b.call - failed.call))
      .slice(0, window)
      .sort((a, b) => a.id - b.id);
  }
  const kept = new Set(ops.map((op) => op.id));
  const freeIds = new Set(free.map((op) => op.id));
  const firstKept = Math.min(...ops.map((op) => op.id));
  const omittedBefore = cx.ops.filter((op) => !kept.has(op.id) && op.id < firstKept).length;
  return {
    ops: ops.map((op) => ({
      ...op,
      events: [op.invokeIndex, op.completeIndex]
        .map((i) => (i === undefined ? undefined : byIndex.get(i)))
        .filter((e): e is HistoryEvent => e !== undefined),
    })),
    failedOp: cx.failedOp,
    prefix: cx.prefix.filter((step) => kept.has(step.op) || freeIds.has(step.op)),
    concurrent: cx.concurrent.filter((id) => kept.has(id)),
    omittedBefore,
    omittedAfter: cx.ops.length - ops.length - omittedBefore,
    free: free.filter((op) => cx.prefix.some((step) => step.op === op.id)).map((op) => ({ ...op, events: [] })),
  };
}
