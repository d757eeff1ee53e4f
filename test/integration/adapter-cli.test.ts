/**
 * `splitbrain test` with a user's adapter and config, as a user would run it: `splitbrain init`
 * in a fresh folder (splitbrain linked into its node_modules, as `npm install` would put it),
 * then `splitbrain test`, which finds splitbrain.config.mts, loads the TypeScript adapter without
 * a build and runs the sample system under partitions, kills and pauses. Bad adapters (a client
 * that throws, a setup that never becomes ready, a module that exports no adapter) end with one
 * line naming the adapter and the cause, and leave nothing running.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  build,
  CLI,
  expectLocalRunLeftNothing,
  latestRun,
  readResults,
  ROOT,
  userProject,
} from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const fixtures = path.join(ROOT, 'test', 'fixtures', 'adapters');
const work = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-adapter-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh project folder with splitbrain in its node_modules. */
const project = (name: string): string => userProject(work, name);

/** Runs `splitbrain ARGS` in `cwd`. */
function splitbrainIn(cwd: string, args: string[]) {
  return execa(process.execPath, [CLI, ...args], { cwd, reject: false, all: true, timeout: 300_000 });
}

/** Runs `splitbrain test` of a fixture adapter on one local node for `seconds`, without faults, in a fresh project `name`. */
function fixtureRun(name: string, fixture: string, seconds: number) {
  const args = ['--runtime', 'local', '--nodes', '1', '--time-limit', String(seconds), '--nemesis', 'none'];
  const dir = project(name);
  return { dir, result: splitbrainIn(dir, ['test', '--db', path.join(fixtures, fixture), ...args]) };
}

const expectNothingLeft = expectLocalRunLeftNothing;

describe('splitbrain init and a user adapter', () => {
  it('refuses to overwrite files init would write', async () => {
    const dir = project('init-twice');
    expect((await splitbrainIn(dir, ['init'])).exitCode).toBe(0);
    const again = await splitbrainIn(dir, ['init']);
    expect(again.exitCode, again.all).toBe(64);
    expect(again.all).toContain('init would overwrite splitbrain/adapter.mts');
  });

  it('names a module without an adapter export, exit 64', async () => {
    const dir = project('no-default');
    const r = await splitbrainIn(dir, ['test', '--db', path.join(fixtures, 'no-default.ts')]);
    expect(r.exitCode, r.all).toBe(64);
    expect(r.all.trim().split('\n')).toHaveLength(1);
    expect(r.all).toMatch(/adapter .*no-default\.ts: not an adapter module: missing a default export/);
  });

  it('nodes that die by themselves and leave no leader after the heal fail the test (exit 1), not exit 3', async () => {
    const { dir, result } = fixtureRun('dies-leaderless', 'dies-leaderless.mts', 5);
    const r = await result;
    expect(r.exitCode, r.all).toBe(1);
    expect(r.all).toMatch(/INVALID: node failure: 1 node process\(es\) exited by themselves \(first: n1 with code 1/);
    const run = latestRun(path.join(dir, 'store'), 'dies-leaderless-register');
    expect(readFileSync(path.join(run, 'splitbrain.log'), 'utf8')).toContain('no leader 30 s after healing');
    await expectNothingLeft(run);
  }, 300_000);

  describe.skipIf(!isRoot)('runs (needs root for network namespaces)', () => {
    it('init writes an adapter and config that pass as written; --test picks a test and flags override', async () => {
      const dir = project('init');
      const init = await splitbrainIn(dir, ['init']);
      expect(init.exitCode, init.all).toBe(0);
      for (const f of [
        'splitbrain.config.mts',
        'splitbrain/adapter.mts',
        'splitbrain/sample-kv-server.mjs',
        'tsconfig.json',
      ])
        expect(existsSync(path.join(dir, f)), f).toBe(true);
      const r = await splitbrainIn(dir, ['test', '--test', 'sample-kv', '--time-limit', '10', '--nodes', '2']);
      expect(r.exitCode, r.all).toBe(0);
      expect(r.all).toContain('splitbrain: sample-kv: valid');
      const run = latestRun(path.join(dir, 'store'), 'sample-kv');
      const results = readResults(run);
      expect(results.test).toMatchObject({ db: 'sample-kv', nodes: 2, timeLimitS: 10, workload: 'kv' });
      expect(results.stats.byType.ok).toBeGreaterThan(100);
      // The config asks for partition, kill and pause; in 10 s the schedule need not reach all three.
      const injected = ['start-partition', 'kill', 'pause'].map((f) => results.stats.nemesisEvents[f] ?? 0);
      expect(
        injected.reduce((a, b) => a + b),
        'faults injected',
      ).toBeGreaterThan(0);
      await expectNothingLeft(run);
      const unknown = await splitbrainIn(dir, ['test', '--test', 'nightly']);
      expect(unknown.exitCode, unknown.all).toBe(64);
      expect(unknown.all).toContain('--test nightly: not in');
      expect(unknown.all).toContain('its tests: sample-kv');
    });

    it('a client that throws on every op ends with exit 3 naming the adapter, nothing left running', async () => {
      const { dir, result } = fixtureRun('throwing', 'throwing-client.mts', 3);
      const r = await result;
      expect(r.exitCode, r.all).toBe(3);
      expect(r.all).toMatch(
        /splitbrain: throwing-client-kv: error \(adapter throwing-client\): run: the client threw on all \d+ ops it ran, e\.g\. invoke exploded/,
      );
      await expectNothingLeft(latestRun(path.join(dir, 'store'), 'throwing-client-kv'));
    });

    it('a setup that never becomes ready ends with exit 3 naming the adapter, nothing left running', async () => {
      const dir = project('never-ready');
      const marker = `never-ready-${process.pid}-${Date.now()}`;
      const r = await execa(
        process.execPath,
        [
          CLI,
          'test',
          '--db',
          path.join(fixtures, 'never-ready.mts'),
          '--runtime',
          'local',
          '--nodes',
          '2',
          '--time-limit',
          '3',
          '--nemesis',
          'none',
        ],
        { cwd: dir, reject: false, all: true, timeout: 300_000, env: { NEVER_READY_MARKER: marker } },
      );
      expect(r.exitCode, r.all).toBe(3);
      expect(r.all).toMatch(/error \(adapter never-ready\): setup-db: never-ready never serves within 3 s/);
      const run = latestRun(path.join(dir, 'store'), 'never-ready-register');
      await expectNothingLeft(run);
      const left = await execa('pgrep', ['-f', marker], { reject: false });
      expect(left.stdout.trim(), 'processes still running the never-ready daemon').toBe('');
      expect(readFileSync(path.join(run, 'splitbrain.log'), 'utf8')).toContain('setup-db');
    });
  });
});
