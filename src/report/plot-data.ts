import type { ReportOp } from './report-op.js';

/** Columns ready for uPlot: x in seconds since the test began, one series per completion type. */
export interface PlotData {
  /** Throughput: bucket start (s), then ok, fail, info completions per second. */
  throughput: [number[], number[], number[], number[]];
  /** Latency: invoke time (s), then latency (ms) of ok, fail, info ops, null where the point is another type's. */
  latency: [number[], (number | null)[], (number | null)[], (number | null)[]];
  /** Ops left out of the latency plot to keep the report small (every k-th op is kept). */
  latencySampledEvery: number;
  /** Ok completions per second of each operation (`read`, `write`, `cas`...), on the throughput buckets. */
  throughputByF: { f: string[]; series: number[][] };
  /**
   * Latency quantiles of ok ops by invoke time, as Jepsen's latency-quantiles graph: bucket start
   * (s), then p50, p95 and p99 (ms) of the ops invoked in it; null for a bucket without any.
   */
  latencyQuantiles: [number[], (number | null)[], (number | null)[], (number | null)[]];
}

/** Buckets of the latency-quantile lines: coarser than throughput, so each holds enough ops. */
const QUANTILE_BUCKETS = 50;

const TYPES = ['ok', 'fail', 'info'] as const;

/**
 * Computes throughput and latency series from paired ops. Throughput counts completions in up
 * to `buckets` equal time buckets; latency plots one point per completed op, thinned to at most
 * `maxPoints` so a 100,000-op run still writes a small report and draws at once.
 */
export function computePlotData(ops: readonly ReportOp[], buckets = 200, maxPoints = 12_000): PlotData | null {
  const completed = ops.filter((op) => op.complete !== null);
  if (completed.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const op of completed) {
    first = Math.min(first, op.call);
    last = Math.max(last, op.complete ?? op.call);
  }
  const span = Math.max(last - first, 1);
  const width = span / buckets;
  const x = Array.from({ length: buckets }, (_, i) => (first + i * width) / 1e9);
  const counts = TYPES.map(() => new Array<number>(buckets).fill(0));
  for (const op of completed) {
    const bucket = Math.min(buckets - 1, Math.floor(((op.complete ?? 0) - first) / width));
    counts[TYPES.indexOf(op.type)]![bucket]!++;
  }
  const perSecond = (n: number): number => Math.round((n / (width / 1e9)) * 100) / 100;
  const fs = [...new Set(completed.filter((op) => op.type === 'ok').map((op) => op.f))].sort();
  const byF = fs.map(() => new Array<number>(buckets).fill(0));
  for (const op of completed) {
    if (op.type !== 'ok') continue;
    byF[fs.indexOf(op.f)]![Math.min(buckets - 1, Math.floor(((op.complete ?? 0) - first) / width))]!++;
  }

  const every = Math.max(1, Math.ceil(completed.length / maxPoints));
  const sampled = completed.filter((_, i) => i % every === 0).sort((a, b) => a.call - b.call);
  const latency: PlotData['latency'] = [[], [], [], []];
  for (const op of sampled) {
    latency[0].push(op.call / 1e9);
    // Floored at 1 µs: the latency axis is logarithmic and cannot show zero.
    const ms = Math.max(0.001, Math.round(((op.complete ?? op.call) - op.call) / 1e3) / 1e3);
    TYPES.forEach((type, i) => latency[(i + 1) as 1 | 2 | 3].push(op.type === type ? ms : null));
  }
  return {
    throughput: [x, counts[0]!.map(perSecond), counts[1]!.map(perSecond), counts[2]!.map(perSecond)],
    latency,
    latencySampledEvery: every,
    throughputByF: { f: fs, series: byF.map((counts) => counts.map(perSecond)) },
    latencyQuantiles: latencyQuantiles(completed, first, span),
  };
}

/** p50, p95 and p99 of ok latency (ms) per bucket of invoke time. */
function latencyQuantiles(completed: readonly ReportOp[], first: number, span: number): PlotData['latencyQuantiles'] {
  const width = span / QUANTILE_BUCKETS;
  const perBucket: number[][] = Array.from({ length: QUANTILE_BUCKETS }, () => []);
  for (const op of completed) {
    if (op.type !== 'ok' || op.complete === null) continue;
    perBucket[Math.min(QUANTILE_BUCKETS - 1, Math.floor((op.call - first) / width))]!.push(
      (op.complete - op.call) / 1e6,
    );
  }
  const out: PlotData['latencyQuantiles'] = [[], [], [], []];
  perBucket.forEach((ms, i) => {
    out[0].push((first + i * width) / 1e9);
    ms.sort((a, b) => a - b);
    [0.5, 0.95, 0.99].forEach((q, j) => {
      // Nearest rank; floored at 1 µs because the axis is logarithmic.
      const v =
        ms.length === 0
          ? null
          : Math.max(0.001, Math.round(ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]! * 1000) / 1000);
      out[(j + 1) as 1 | 2 | 3].push(v);
    });
  });
  return out;
}

/**
 * Says whether a history carries real clock times worth plotting. Imported histories without
 * timestamps (Porcupine logs) get synthetic times, one step per line, which span microseconds.
 */
export function hasRealTimes(ops: readonly ReportOp[]): boolean {
  if (ops.length < 2) return false;
  let first = Infinity;
  let last = -Infinity;
  for (const op of ops) {
    first = Math.min(first, op.call);
    last = Math.max(last, op.complete ?? op.call);
  }
  return last - first >= 1e6;
}
