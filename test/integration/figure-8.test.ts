/**
 * The figure-8 nemesis catches `commit-old-term` end to end: raftkv nodes that send one entry per
 * append and keep one append in flight (so a new leader's old entries reach a follower apart from
 * its own first entry), and the move that cuts the leader off, lets a new leader's first entry miss
 * one voter, moves that voter to the old side, and strikes when the re-elected old leader counts
 * old entries as committed. The new side then overwrites them, and the nodes that committed them
 * stop on raftkv's Log Matching check: the run fails as a node failure with that line.
 *
 * Up to 3 seeded runs are made and one must exit 1; the same schedule on a correct raftkv is the
 * control: valid, and the move never sees a leader count old entries as committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, readHistory, readResults, runLocalTest, type LocalRun } from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-figure-8-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

/** Runs raftkv on 5 local nodes under the figure-8 move for 60 s; returns the exit, output and run folder. */
function runFigure8(name: string, seed: number, extra: string[]): Promise<LocalRun> {
  const flags = ['--db', 'raftkv', '--nodes', '5', '--nemesis', 'figure-8', '--time-limit', '60'];
  return runLocalTest(store, name, seed, [
    ...flags,
    '--max-entries-per-msg',
    '1',
    '--max-inflight-msgs',
    '1',
    ...extra,
  ]);
}

/** The steps every figure-8 move of a run wrote into its completed op. */
function moveSteps(run: string): string[][] {
  return readHistory(run)
    .filter((e) => e.process === 'nemesis' && e.f === 'start-figure-8' && e.type !== 'invoke')
    .map((e) => ((e.value as { steps?: string[] } | undefined)?.steps ?? []) as string[]);
}

describe.skipIf(!isRoot)('raftkv commit-old-term under the figure-8 nemesis (needs root for namespaces)', () => {
  it('overwrites entries a re-elected leader committed by counting, and the nodes that hold them stop: exit 1', async () => {
    const runs: Awaited<ReturnType<typeof runFigure8>>[] = [];
    for (const seed of [11, 12, 13]) {
      const r = await runFigure8(`figure-8-${seed}`, seed, ['--bug', 'commit-old-term']);
      runs.push(r);
      expect([0, 1], r.all).toContain(r.exitCode);
      if (r.exitCode === 1) break;
    }
    console.info(`figure-8 commit-old-term: exit codes ${runs.map((r) => r.exitCode).join(', ')}`);
    const caught = runs.find((r) => r.exitCode === 1);
    expect(caught, `exit codes ${runs.map((r) => r.exitCode).join(', ')}`).toBeDefined();
    const results = readResults(caught!.run);
    expect(results.valid).toBe(false);
    const fatal = (results.nodeFailures?.fatalLines ?? []) as { line: string }[];
    expect(fatal.map((f) => f.line).join('\n')).toMatch(/conflicts with committed entry/);
    expect(moveSteps(caught!.run).flat().join('\n')).toMatch(/moved back and continued/);
  }, 1_200_000);

  it('on a correct raftkv the move never sees old entries counted as committed, and the run is valid', async () => {
    const r = await runFigure8('figure-8-control', 11, []);
    expect(r.exitCode, r.all).toBe(0);
    const steps = moveSteps(r.run);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.flat().join('\n')).not.toMatch(/counted entries/);
  }, 300_000);
});
