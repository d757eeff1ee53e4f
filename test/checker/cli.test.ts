import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HistoryEvent } from '../../src/history/index.js';
import { CORPUS_DIR, CORPUS_PRESENT } from './corpus.js';
import { hardInvalidHistory, hardKeyedHistory, history } from './hand-made.js';
import { generateKeyedHistory } from './keyed-history.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-cli-'));

function jsonl(name: string, events: HistoryEvent[], tail = ''): string {
  const file = join(dir, name);
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n' + tail);
  return file;
}

function splitbrain(...args: string[]) {
  return execa('node', [CLI, ...args], { reject: false, timeout: 120_000 });
}

const valid = history([
  [0, 'invoke', 'write', 1],
  [1, 'invoke', 'read', null],
  [1, 'ok', 'read', 1],
  [0, 'ok', 'write', 1],
]);
const invalid = history([
  [0, 'invoke', 'write', 4],
  [0, 'ok', 'write', 4],
  [1, 'invoke', 'read', null],
  [1, 'ok', 'read', 3],
]);

beforeAll(() => {
  // The CLI and the checker's worker threads run from dist/, which the test run's global setup builds.
  for (const out of ['dist/src/cli/main.js', 'dist/checker/worker.js']) {
    if (!existsSync(join(ROOT, out))) throw new Error(`${out} is missing: run 'npm run build' first`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('splitbrain check', () => {
  it('exits 0 and says valid for a linearizable history', async () => {
    const r = await splitbrain('check', jsonl('valid.jsonl', valid));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/valid\.jsonl: valid \(linearizable\): 2 ops, model cas-register/);
  });

  it('exits 1 and prints a readable counterexample for a non-linearizable one', async () => {
    const r = await splitbrain('check', '--model', 'register', jsonl('invalid.jsonl', invalid));
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain('INVALID (not linearizable)');
    expect(r.stdout).toContain('cannot linearize: op 2 read -> 3');
    expect(r.stdout).toContain(
      'why: There is no op that writes 3 in the history, and the register starts at null, so read -> 3 (op 2,',
    );
  });

  it('exits 2 with the reason when the time limit runs out', async () => {
    const r = await splitbrain('check', '--time-limit', '0.5', jsonl('hard.jsonl', hardInvalidHistory(24)));
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stdout).toContain('UNKNOWN (time-limit)');
  });

  it.each([
    [['check', '--model', 'queue', 'x.jsonl'], /--model: unknown value 'queue'; choose one of: register/],
    [['check', '--format', 'csv', 'x.jsonl'], /--format: unknown value 'csv'; choose one of: jsonl/],
    [['check', '--time-limit', '-1', 'x.jsonl'], /--time-limit must be a positive number/],
    [['check'], /Not enough non-option arguments/],
    [['check', '--colour=red', 'x.jsonl'], /unknown argument --colour/],
  ])('exits 64 on bad usage: %j', async (args, message) => {
    const r = await splitbrain(...args);
    expect(r.exitCode, r.stderr).toBe(64);
    expect(r.stderr).toMatch(message);
  });

  it('exits 65 naming the file, the line and the problem for malformed input', async () => {
    const file = jsonl('bad.jsonl', valid.slice(0, 1), '{"type":"ok","process":0,"f":"write"}\n');
    const r = await splitbrain('check', file);
    expect(r.exitCode, r.stderr).toBe(65);
    expect(r.stderr).toContain(`${file}:2: missing field "time"`);
  });

  it('exits 65 when a process invokes twice without a completion', async () => {
    const file = jsonl(
      'twice.jsonl',
      history([
        [0, 'invoke', 'write', 1],
        [0, 'invoke', 'write', 2],
      ]),
    );
    const r = await splitbrain('check', file);
    expect(r.exitCode, r.stderr).toBe(65);
    expect(r.stderr).toContain(`${file}:2: process 0 invokes write while its write from line 1 is still outstanding`);
  });

  it('warns about a torn last line and still checks the rest', async () => {
    const file = jsonl('torn.jsonl', invalid, '{"type":"invoke","process":2,"f":"re');
    const r = await splitbrain('check', file);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain(`warning: ${file}:5: last line is torn`);
  });

  it('prints one JSON object per history with --json, and the worst exit code', async () => {
    const r = await splitbrain('check', '--json', jsonl('a.jsonl', valid), jsonl('b.jsonl', invalid));
    expect(r.exitCode, r.stderr).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: join(dir, 'a.jsonl'), model: 'cas-register', valid: true, ops: 2 });
    expect(typeof lines[0]!.ms).toBe('number');
    expect(lines[1]).toMatchObject({ valid: false, verdict: 'invalid', counterexample: { failedOp: 2 } });
  });

  it('shows an example in --help', async () => {
    const r = await splitbrain('check', '--help');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--format porcupine-etcd');
  });

  it.skipIf(!CORPUS_PRESENT)('reads Porcupine etcd logs with --format porcupine-etcd', async () => {
    const r = await splitbrain(
      'check',
      '--format',
      'porcupine-etcd',
      '--json',
      join(CORPUS_DIR, 'jepsen/etcd_000.log'),
      join(CORPUS_DIR, 'jepsen/etcd_002.log'),
    );
    expect(r.exitCode, r.stderr).toBe(1);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { valid: unknown }).valid),
    ).toEqual([false, true]);
  });

  it('checks a large keyed history over worker threads and names the key that breaks', async () => {
    const events = generateKeyedHistory({ ops: 20_000, keys: 100, processes: 50, crashed: 0.01 });
    const ok = await splitbrain('check', '--model', 'kv', '--workers', '2', '--json', jsonl('keyed.jsonl', events));
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, keys: 100, ops: 20_000, workers: 2 });
    // Break one read of key 42: it now returns a value nobody wrote.
    const broken = events.map((e) => ({ ...e }));
    const read = broken.find((e) => e.key === 42 && e.type === 'ok' && e.f === 'read' && e.value !== null)!;
    read.value = -1;
    const bad = await splitbrain(
      'check',
      '--model',
      'kv',
      '--workers',
      '2',
      '--json',
      jsonl('keyed-bad.jsonl', broken),
    );
    expect(bad.exitCode, bad.stderr).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, workers: 2, counterexample: { key: 42 } });
    // The same verdict without workers.
    const here = await splitbrain('check', '--model', 'kv', '--workers', '0', '--json', join(dir, 'keyed-bad.jsonl'));
    expect(JSON.parse(here.stdout)).toMatchObject({ valid: false, counterexample: { key: 42 } });
  });

  it('hands keys still unfinished after a second to worker threads, and finds a broken one', async () => {
    // Two hard keys: the valid one is done at once, and a hand-off needs two keys still unfinished.
    const r = await splitbrain(
      'check',
      '--model',
      'kv',
      '--json',
      jsonl('hard-keys.jsonl', hardKeyedHistory(['a', 'b', 'c'], ['b', 'c'])),
    );
    expect(r.exitCode, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as { workers?: number; counterexample?: { key?: string } };
    expect(result).toMatchObject({ valid: false, keys: 3 });
    expect(['b', 'c']).toContain(result.counterexample?.key);
    expect(result.workers).toBeGreaterThanOrEqual(1);
  });
});
