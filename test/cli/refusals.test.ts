import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { raftkvAdapter } from '../../src/adapters/raftkv.js';
import { SIM_BUGS } from '../../src/cli/commands/sim.js';
import { DEFAULT_NODES } from '../../src/cli/defaults.js';

// Every command refuses bad input before it starts anything: one line on stderr naming what is
// wrong and the valid choices, and the exit code of its kind (64 usage, 65 malformed, 66 no input).

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-refusals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RAFTKV_BUGS = raftkvAdapter.bugs ?? [];

function splitbrain(args: string[], env: Record<string, string> = {}) {
  return execa('node', [CLI, ...args], { reject: false, timeout: 60_000, cwd: dir, env });
}

/** The stderr lines, which must be exactly one for a refusal. */
function lines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '');
}

const keyedEvents = [
  { type: 'invoke', process: 0, f: 'write', key: 1, value: 1, time: 0 },
  { type: 'ok', process: 0, f: 'write', key: 1, value: 1, time: 1 },
  { type: 'invoke', process: 1, f: 'write', key: 2, value: 2, time: 2 },
  { type: 'ok', process: 1, f: 'write', key: 2, value: 2, time: 3 },
  { type: 'invoke', process: 0, f: 'read', key: 1, value: null, time: 4 },
  { type: 'ok', process: 0, f: 'read', key: 1, value: 1, time: 5 },
];
const keyedFile = join(dir, 'keyed.jsonl');
writeFileSync(keyedFile, keyedEvents.map((e) => JSON.stringify(e)).join('\n') + '\n');

describe('splitbrain test refuses bad choices before starting a cluster', () => {
  it('exits 64 on --bug nosuch, listing every bug, and creates no run folder', async () => {
    const store = join(dir, 'store-bug');
    const r = await splitbrain(['test', '--bug', 'nosuch', '--store', store]);
    expect(r.exitCode, r.stderr).toBe(64);
    expect(lines(r.stderr)).toHaveLength(1);
    for (const bug of RAFTKV_BUGS) expect(r.stderr).toContain(bug);
    expect(r.stdout).toBe('');
    expect(existsSync(store)).toBe(false);
  });

  it.each([
    [['--runtime', 'nosuch'], /--runtime: unknown value 'nosuch'; choose one of: auto, docker, local, ssh/],
    [['--db', 'nosuch'], /--db: unknown adapter 'nosuch'/],
    [['--workload', 'nosuch'], /--workload: unknown value 'nosuch'/],
    [['--nemesis', 'nosuch'], /nosuch/],
    [['--nodes', '0'], /--nodes/],
    [['--db', 'zookeeper', '--workload', 'lock', '--lock-hold', '0'], /--lock-hold must be a positive number, got 0/],
    [['--db', 'etcd', '--bug', 'stale-read'], /--bug: --db etcd has no injectable bugs/],
    [['--db', 'maelstrom'], /--db maelstrom needs --bin PATH \(the node program\)/],
    [['--db', 'raftkv', '--record-messages'], /--record-messages is for --db maelstrom only, not raftkv/],
    [['--db', 'etcd', '--bin-arg=--local-reads'], /--bin-arg is for --db maelstrom only, not etcd/],
    [['--bin', '/bin/true'], /--bin is for --db maelstrom only, not raftkv/],
    [['--db', 'etcd', '--max-inflight-msgs', '1'], /--max-inflight-msgs is for --db raftkv only, not etcd/],
    [['--max-entries-per-msg', '0'], /--max-entries-per-msg must be a whole number from 1 to 1000000, got 0/],
  ])('exits 64 with one line on %j', async (flags, message) => {
    const r = await splitbrain(['test', ...flags, '--store', join(dir, 'store-flags')]);
    expect(r.exitCode, r.stderr).toBe(64);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('lists the bugs in --help, and sim --help and the README name the same simulated ones', async () => {
    const test = await splitbrain(['test', '--help']);
    for (const bug of RAFTKV_BUGS) expect(test.stdout).toContain(bug);
    const sim = await splitbrain(['sim', '--help']);
    for (const bug of SIM_BUGS) expect(sim.stdout).toContain(bug);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const simLine = readme.split('\n').find((l) => l.includes('splitbrain sim --bug'));
    expect(simLine, 'README names the bugs sim --bug takes').toBeDefined();
    for (const bug of RAFTKV_BUGS) expect(simLine!.includes(`\`${bug}\``)).toBe(SIM_BUGS.includes(bug as never));
  });

  it("lists maelstrom's own flags and every adapter's read consistencies in test --help", async () => {
    const r = await splitbrain(['test', '--help']);
    expect(r.stdout).toContain('maelstrom (with --bin)');
    for (const flag of ['--bin ', '--bin-arg', '--record-messages']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('maelstrom: the node program');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('zookeeper: linearizable, sync, local');
  });
});

describe('sim, analyze and cluster refuse bad input in one line', () => {
  it.each([
    [['sim', '--bug', 'nosuch'], 64, /--bug nosuch: unknown or not simulated; choose one of: vote-term-only/],
    [['sim', '--seeds', '0'], 64, /--seeds 0: must be a positive integer/],
    [['sim', '--time-limit', '-1'], 64, /--time-limit/],
    [
      ['analyze', '--model', 'nosuch', '.'],
      64,
      /--model: unknown value 'nosuch'; choose one of: register, cas-register, kv/,
    ],
  ])('%j exits %i', async (args, code, message) => {
    const r = await splitbrain(args);
    expect(r.exitCode, r.stderr).toBe(code);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('analyze --model register on a keyed run exits 64 naming the keyed model', async () => {
    const run = join(dir, 'store', 'raftkv-kv', 'run1');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'history.jsonl'), readFileSync(keyedFile));
    writeFileSync(join(run, 'test.json'), JSON.stringify({ model: 'kv', seed: 1 }));
    const r = await splitbrain(['analyze', '--model', 'register', run]);
    expect(r.exitCode, r.stderr).toBe(64);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/--model register: .*keys \(2 distinct\).*--model kv/);
  });

  it('cluster down with no cluster up says so and exits 0', async () => {
    const scratch = mkdtempSync(join(dir, 'tmp-'));
    const r = await splitbrain(['cluster', 'down'], { TMPDIR: scratch });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('no cluster is up; nothing to take down');
    expect(r.stderr).toBe('');
  });
});

describe('splitbrain check refuses what it cannot check', () => {
  it('refuses --model cas-register on a keyed history with exit 65 instead of merging the keys', async () => {
    const r = await splitbrain(['check', '--model', 'cas-register', keyedFile]);
    expect(r.exitCode, r.stderr).toBe(65);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /model cas-register describes one object, but the ops carry keys \(2 distinct\); check key by key with --model kv/,
    );
    const kv = await splitbrain(['check', keyedFile]);
    expect(kv.exitCode, kv.stderr).toBe(0);
  });

  it('exits 66 (no input) for a file that does not exist, and says so in --help', async () => {
    const r = await splitbrain(['check', join(dir, 'nosuch.jsonl')]);
    expect(r.exitCode, r.stderr).toBe(66);
    expect(lines(r.stderr)).toEqual([`splitbrain: ${join(dir, 'nosuch.jsonl')}: cannot read (ENOENT)`]);
    const help = await splitbrain(['check', '--help']);
    expect(help.stdout).toMatch(/66 cannot read/);
  });
});

describe('usage errors from the parser', () => {
  it('name an unknown flag once, with the nearest valid flag', async () => {
    const r = await splitbrain(['check', '--tiem-limit', '3', keyedFile]);
    expect(r.exitCode).toBe(64);
    expect(lines(r.stderr)).toEqual(['splitbrain: unknown argument --tiem-limit (did you mean --time-limit?)']);
  });

  it('put a bad choice on one line with the valid ones', async () => {
    const r = await splitbrain(['check', '--format', 'csv', keyedFile]);
    expect(r.exitCode).toBe(64);
    expect(lines(r.stderr)).toEqual([
      "splitbrain: --format: unknown value 'csv'; choose one of: jsonl, edn, porcupine-etcd, porcupine-kv",
    ]);
  });
});

describe('help', () => {
  it.each([
    'test',
    'check',
    'analyze',
    'serve',
    'sim',
    'cluster up',
    'cluster status',
    'cluster down',
    'cluster clean',
    'images build',
  ])('%s --help shows examples', async (command) => {
    const r = await splitbrain([...command.split(' '), '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n\s+splitbrain /);
  });

  it('gives test and cluster up the same --runtime and --nodes defaults', async () => {
    const defaults = (help: string, flag: string) =>
      new RegExp(`\\n  --${flag} [\\s\\S]*?\\[default: ([^\\]]+)\\]`).exec(help)?.[1];
    const test = (await splitbrain(['test', '--help'])).stdout;
    const up = (await splitbrain(['cluster', 'up', '--help'])).stdout;
    expect(test).toMatch(/--runtime +Where nodes run \(default auto:/);
    expect(defaults(up, 'runtime')).toBe('"auto"');
    const nodes = (help: string) => /--nodes [^\n]*\(\S* ?default (\d+)/.exec(help)?.[1];
    expect(nodes(test)).toBe(String(DEFAULT_NODES));
    expect(nodes(up)).toBe(String(DEFAULT_NODES));
  });
});

describe('the README', () => {
  it('shows a GitHub Actions job that installs, caches the node image, runs, and uploads the run folder on failure', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    for (const step of [
      'npm ci',
      'actions/cache',
      'splitbrain images build',
      'splitbrain test',
      '--junit',
      'upload-artifact',
      'if: failure()',
    ])
      expect(yaml).toContain(step);
  });
});
