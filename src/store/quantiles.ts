/** Latency quantiles over a list of durations. */

/** The quantiles results.json reports, in milliseconds. */
export interface Quantiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Computes nearest-rank quantiles of `values` (any order; not mutated). Empty input gives zeros. */
export function computeQuantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]!),
  };
}
