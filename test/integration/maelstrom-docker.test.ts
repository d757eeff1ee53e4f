/**
 * `splitbrain test --db maelstrom --runtime docker`: the relay and the binary run in each node's
 * container. The lin-kv test node is copied to a folder outside the project first, so the run
 * must copy it into every container itself (the project folder is mounted; nothing else is).
 * The container image has Node, so this JavaScript node runs there as it is.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../cluster/runtime/index.js';
import {
  ROOT,
  build,
  dockerAvailable,
  dockerLeftovers,
  faultKinds,
  latestRun,
  readHistory,
  readResults,
  runIdOf,
  splitbrain,
} from './test-command-helpers.js';

const docker = await dockerAvailable();
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-maelstrom-docker-'));
const outside = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-maelstrom-bin-'));
const NODE = path.join(outside, 'lin-kv-node.mjs');

beforeAll(() => {
  build();
  copyFileSync(path.join(ROOT, 'test', 'fixtures', 'maelstrom', 'lin-kv-node.mjs'), NODE);
}, 300_000);
afterAll(() => {
  rmSync(store, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function runInDocker(name: string, args: string[]) {
  const r = await splitbrain(
    ['test', '--runtime', 'docker', '--db', 'maelstrom', '--nodes', '3', '--store', store, '--name', name, ...args],
    { timeoutMs: 600_000 },
  );
  const run = latestRun(store, name);
  const runId = runIdOf(run);
  try {
    expect((await dockerLeftovers()).filter((n) => n.includes(runId))).toEqual([]);
  } finally {
    if (/^[0-9a-f]{8}$/.test(runId)) await new DockerRuntime().clean(runId);
  }
  return { exitCode: r.exitCode, all: r.all, run };
}

describe.skipIf(!docker)('splitbrain test --db maelstrom --runtime docker (needs a docker engine)', () => {
  it('copies a binary from outside the project into the containers and finds the correct node valid under four faults', async () => {
    const r = await runInDocker('maelstrom-docker-correct', [
      '--bin',
      NODE,
      '--nemesis',
      'partition,kill,pause,clock',
      '--nemesis-interval',
      '2',
      '--time-limit',
      '20',
      '--seed',
      '5',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    expect(readResults(r.run).stats.byType.ok).toBeGreaterThan(300);
    expect([...faultKinds(readHistory(r.run))].sort()).toEqual(['clock', 'kill', 'partition', 'pause']);
    expect(readFileSync(path.join(r.run, 'nodes', 'n2', 'maelstrom.log'), 'utf8')).toContain('lin-kv node started');
  }, 700_000);

  it('catches the --local-reads node in containers too (up to 3 runs)', async () => {
    const codes: number[] = [];
    for (const seed of [1, 2, 3]) {
      const r = await runInDocker(`maelstrom-docker-local-reads-${seed}`, [
        '--bin',
        NODE,
        '--bin-arg=--local-reads',
        '--workload',
        'register',
        '--nemesis',
        'partition',
        '--nemesis-interval',
        '2',
        '--time-limit',
        '12',
        '--seed',
        String(seed),
      ]);
      expect([0, 1], r.all).toContain(r.exitCode);
      codes.push(r.exitCode ?? -1);
      if (r.exitCode === 1) break;
    }
    console.info(`maelstrom --local-reads in docker: exit codes ${codes.join(', ')}`);
    expect(codes).toContain(1);
  }, 1_500_000);

  it('ends with exit 3 naming the node when the binary is not in the container', async () => {
    const r = await runInDocker('maelstrom-docker-missing', ['--bin', 'no-such-node-program', '--nemesis', 'none']);
    expect(r.exitCode, r.all).toBe(3);
    expect(r.all).toMatch(/n\d: binary not found: no-such-node-program/);
  }, 300_000);
});
