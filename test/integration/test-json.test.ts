/**
 * What CI reads from `splitbrain test`: with --json one JSON summary on stdout (verdict, seed,
 * paths), the people's lines on stderr ending with the report's path, results.json with a
 * verdict word, and a JUnit case named with the seed that points at the report.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, readResults, splitbrain } from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-json-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe.skipIf(!isRoot)('splitbrain test --json --junit (local runtime, needs root)', () => {
  it('prints one JSON summary on stdout and the report path as the last line on stderr', async () => {
    const junit = path.join(store, 'junit.xml');
    const r = await splitbrain([
      'test',
      '--runtime',
      'local',
      '--nodes',
      '3',
      '--nemesis',
      'none',
      '--time-limit',
      '3',
      '--seed',
      '5',
      '--json',
      '--junit',
      junit,
      '--store',
      store,
    ]);
    expect(r.exitCode, r.all).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(summary).toMatchObject({ verdict: 'valid', valid: true, exitCode: 0, seed: 5 });
    const report = summary.report as string;
    expect(existsSync(report)).toBe(true);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`report: ${report}`);
    const results = readResults(path.dirname(report));
    expect(results.verdict).toBe('valid');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase [^>]*name="raftkv-kv \(seed 5\) is linearizable"/);
    expect(xml).toContain(`[[ATTACHMENT|${report}]]`);
  });
});
