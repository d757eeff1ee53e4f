import { mkdtempSync, readlinkSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HistoryEvent } from '../../src/history/index.js';
import { computeHistoryStats, createRunDir, junitXml, type RunResults } from '../../src/store/index.js';
import { computeQuantiles } from '../../src/store/quantiles.js';
import { xmlProblem } from './xml-well-formed.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'splitbrain-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const MS = 1e6;
const history: HistoryEvent[] = [
  { type: 'invoke', process: 0, f: 'write', key: 1, value: 3, time: 0 },
  { type: 'invoke', process: 1, f: 'read', key: 1, value: null, time: 1 * MS },
  { type: 'info', process: 'nemesis', f: 'start-partition', value: { grudge: {} }, time: 2 * MS },
  { type: 'ok', process: 0, f: 'write', key: 1, value: 3, time: 10 * MS },
  { type: 'ok', process: 1, f: 'read', key: 1, value: 3, time: 21 * MS },
  { type: 'invoke', process: 0, f: 'cas', key: 2, value: [1, 2], time: 30 * MS },
  { type: 'fail', process: 0, f: 'cas', key: 2, error: 'cas-mismatch', time: 35 * MS },
  { type: 'invoke', process: 1, f: 'write', key: 2, value: 4, time: 40 * MS },
  { type: 'info', process: 1, f: 'write', key: 2, error: 'timeout', time: 1040 * MS },
  { type: 'invoke', process: 2, f: 'write', key: 2, value: 1, time: 1050 * MS },
  { type: 'info', process: 'nemesis', f: 'stop-partition', time: 1060 * MS },
];

function results(over: Partial<RunResults>): RunResults {
  return {
    name: 'raftkv-kv',
    valid: true,
    exitCode: 0,
    startedAt: '2026-11-22T14:00:00.000Z',
    finishedAt: '2026-11-22T14:01:02.500Z',
    test: { db: 'raftkv' },
    seed: 42,
    stats: computeHistoryStats(history),
    nemesis: {},
    phases: [],
    versions: { splitbrain: '0.1.0' },
    command: ['splitbrain', 'test', '--db', 'raftkv'],
    ...over,
  };
}

describe('store', () => {
  it('puts each run in <store>/<test>/<timestamp>/ and points latest at the newest', () => {
    const root = tmp();
    const a = createRunDir(root, 'raftkv-kv', new Date('2026-11-22T14:00:00.000Z'));
    const b = createRunDir(root, 'raftkv-kv', new Date('2026-11-22T14:00:00.000Z'));
    expect(path.relative(root, a.dir)).toBe(path.join('raftkv-kv', '20261122T140000.000Z'));
    expect(b.dir).not.toBe(a.dir);
    expect(readlinkSync(path.join(root, 'raftkv-kv', 'latest'))).toBe(path.basename(b.dir));
    expect(statSync(b.nodes).isDirectory()).toBe(true);
    expect(path.basename(a.history)).toBe('history.jsonl');
    expect(path.basename(a.results)).toBe('results.json');
    expect(path.basename(a.log)).toBe('splitbrain.log');
    expect(readdirSync(path.join(root, 'raftkv-kv')).sort()).toEqual(
      [path.basename(a.dir), path.basename(b.dir), 'latest'].sort(),
    );
  });

  it('refuses a test name that is not a plain file name', () => {
    expect(() => createRunDir(tmp(), '../evil', new Date())).toThrow(/test name/);
  });
});

describe('results', () => {
  it('count ops by type and by f, with never-completed ops as pending', () => {
    const s = computeHistoryStats(history);
    expect(s.ops).toBe(5);
    expect(s.byType).toEqual({ ok: 2, fail: 1, info: 1, pending: 1 });
    expect(s.byF.write).toEqual({ ok: 1, fail: 0, info: 1, pending: 1 });
    expect(s.byF.read).toEqual({ ok: 1, fail: 0, info: 0, pending: 0 });
    expect(s.byF.cas).toEqual({ ok: 0, fail: 1, info: 0, pending: 0 });
    expect(s.keys).toBe(2);
    expect(s.nemesisEvents).toEqual({ 'start-partition': 1, 'stop-partition': 1 });
  });

  it('measure latency per completion type and throughput over the run', () => {
    const s = computeHistoryStats(history);
    expect(s.latencyMs.ok).toMatchObject({ count: 2, p50: 10, max: 20 });
    expect(s.latencyMs.info).toMatchObject({ count: 1, max: 1000 });
    expect(s.durationS).toBeCloseTo(1.05, 3);
    expect(s.throughput.okPerS).toBeCloseTo(2 / 1.05, 1);
  });

  it('compute nearest-rank quantiles', () => {
    const q = computeQuantiles(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(q).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(computeQuantiles([])).toMatchObject({ count: 0, max: 0 });
  });
});

describe('junit', () => {
  it('writes one passing test case for a valid run', () => {
    const xml = junitXml(results({}));
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toContain('tests="1" failures="0" errors="0"');
    expect(xml.match(/<testcase /g)).toHaveLength(1);
    expect(xml).not.toContain('<failure');
  });

  it('puts the counterexample summary in the failure message of an invalid run, escaped', () => {
    const xml = junitXml(
      results({
        valid: false,
        exitCode: 1,
        check: {
          model: 'kv',
          valid: false,
          ops: 5,
          ms: 3,
          counterexample: {
            key: 'k<1>',
            failedOp: 4,
            explanation: 'read 3 at 21 ms: the last write "before" it wrote 4 & no write of 3 could follow',
          },
        },
      }),
    );
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toContain('failures="1"');
    expect(xml).toMatch(
      /<failure type="not-linearizable" message="not linearizable on key &quot;k&lt;1&gt;&quot;: read 3 at 21 ms: the last write &quot;before&quot; it wrote 4 &amp; no write/,
    );
  });

  it('reports an infrastructure failure as an error with its cause', () => {
    const xml = junitXml(
      results({ valid: 'unknown', exitCode: 3, error: 'cluster did not elect a leader within 30 s' }),
    );
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toContain('<error type="infrastructure" message="cluster did not elect a leader within 30 s">');
  });

  it('the well-formedness check itself rejects broken XML', () => {
    expect(xmlProblem('<a><b></a></b>')).toBeDefined();
    expect(xmlProblem('<a x="1 & 2"/>')).toBeDefined();
    expect(xmlProblem('<a>1 < 2</a>')).toBeDefined();
  });
});
