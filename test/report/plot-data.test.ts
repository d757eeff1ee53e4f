import { describe, expect, it } from 'vitest';
import { computePlotData } from '../../src/report/plot-data.js';
import type { ReportOp } from '../../src/report/report-op.js';

const MS = 1e6;

/** `n` ok ops of `f`, one per 10 ms from `start`, each taking `latencyMs`. */
function ops(f: string, n: number, start: number, latencyMs: number): ReportOp[] {
  return Array.from({ length: n }, (_, i) => ({
    process: 0,
    f,
    input: null,
    type: 'ok' as const,
    call: start + i * 10 * MS,
    complete: start + i * 10 * MS + latencyMs * MS,
    invokeIndex: i,
  }));
}

describe('plot data', () => {
  it('has one ok-throughput line per operation, summing to the ok line', () => {
    const plots = computePlotData([...ops('read', 100, 0, 1), ...ops('write', 50, 0, 2)], 10)!;
    expect(plots.throughputByF.f).toEqual(['read', 'write']);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const [read, write] = plots.throughputByF.series;
    expect(sum(read!)).toBeGreaterThan(sum(write!));
    expect(sum(read!) + sum(write!)).toBeCloseTo(sum(plots.throughput[1]), 5);
  });

  it('has p50, p95 and p99 latency lines by invoke time', () => {
    // 98 fast reads and 2 slow ones: the median stays fast, p99 sees the slow ones.
    const fast = ops('read', 98, 0, 1);
    const slow = ops('read', 2, 5 * MS, 500);
    const plots = computePlotData([...fast, ...slow], 10)!;
    const [x, p50, p95, p99] = plots.latencyQuantiles;
    expect(x.length).toBe(p50.length);
    const firstBucket = [p50[0], p95[0], p99[0]];
    expect(firstBucket[0]).toBe(1);
    expect(firstBucket[2]).toBeGreaterThanOrEqual(firstBucket[1]!);
    expect(Math.max(...p99.filter((v): v is number => v !== null))).toBe(500);
    expect(p50.every((v) => v === null || v <= 500)).toBe(true);
  });
});
