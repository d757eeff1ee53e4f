/**
 * `splitbrain test --db maelstrom` on the local runtime, with the lin-kv test node of
 * test/fixtures/maelstrom/lin-kv-node.mjs as the user's binary.
 *
 * The correct node (no flags) keeps its only copy at n1, which applies every op in one order
 * and fsyncs before it answers anything; the other nodes forward. So a partition or packet loss
 * only loses or delays forwarded requests (a lost read is fail, a lost write info), a kill
 * loses nothing n1 answered, a pause only delays, and it reads no clock: valid under
 * partition, kill, pause and clock together. With --local-reads each node answers reads from
 * its own copy, which n1 updates without waiting: a partitioned node keeps answering with the
 * value it had, so the register workload under partitions is caught (judged over up to 3 runs).
 * Every run must leave no relay, binary or namespace behind, including after Ctrl-C, and after
 * a SIGKILLed run `cluster clean --run` sweeps them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../cluster/runtime/index.js';
import {
  CLI,
  ROOT,
  build,
  faultKinds,
  latestRun,
  namespacesOfRun,
  processesOfRun,
  readHistory,
  readResults,
  runIdOf,
  splitbrain,
} from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const NODE = path.join(ROOT, 'test', 'fixtures', 'maelstrom', 'lin-kv-node.mjs');
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-maelstrom-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

/** Runs `splitbrain test --db maelstrom` on 5 local nodes; checks and cleans up what the run left. */
async function runMaelstrom(name: string, args: string[]) {
  const r = await splitbrain([
    'test',
    '--runtime',
    'local',
    '--db',
    'maelstrom',
    '--nodes',
    '5',
    '--store',
    store,
    '--name',
    name,
    ...args,
  ]);
  const run = latestRun(store, name);
  const runId = runIdOf(run);
  try {
    expect(processesOfRun(runId), 'relays or binaries left running').toEqual([]);
    expect(await namespacesOfRun(runId)).toEqual([]);
  } finally {
    await new LocalRuntime().clean(runId);
  }
  return { exitCode: r.exitCode, all: r.all, run };
}

describe('splitbrain test --db maelstrom: usage', () => {
  it('asks for --bin with --db maelstrom, and refuses --bin and --record-messages for other DBs', async () => {
    const noBin = await splitbrain(['test', '--db', 'maelstrom', '--store', store]);
    expect(noBin.exitCode, noBin.all).toBe(64);
    expect(noBin.all).toContain('--db maelstrom needs --bin PATH');
    const stray = await splitbrain(['test', '--db', 'raftkv', '--record-messages', '--store', store]);
    expect(stray.exitCode, stray.all).toBe(64);
    expect(stray.all).toContain('--record-messages is for --db maelstrom only, not raftkv');
  });
});

describe.skipIf(!isRoot)('splitbrain test --db maelstrom on local namespaces (needs root)', () => {
  it('finds the correct lin-kv node linearizable under partition, kill, pause and clock faults', async () => {
    const r = await runMaelstrom('maelstrom-correct', [
      '--bin',
      NODE,
      '--nemesis',
      'partition,kill,pause,clock',
      '--nemesis-interval',
      '2',
      '--time-limit',
      '25',
      '--seed',
      '7',
      '--record-messages',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    const history = readHistory(r.run);
    expect([...faultKinds(history)].sort()).toEqual(['clock', 'kill', 'partition', 'pause']);
    const results = readResults(r.run);
    expect(results.stats.byType.ok).toBeGreaterThan(500);
    // A kill restarts the binary (a new pid) and the leader's data survives in its working directory.
    const starts = history.filter((e) => e.process === 'nemesis' && e.f === 'start');
    expect(starts.length).toBeGreaterThan(0);
    expect(existsSync(path.join(r.run, 'nodes', 'n1', 'data', 'maelstrom', 'work', 'store.json'))).toBe(true);
    expect(readFileSync(path.join(r.run, 'nodes', 'n1', 'maelstrom.log'), 'utf8')).toContain('lin-kv node started');
    const messages = readFileSync(path.join(r.run, 'messages.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(messages.some((l) => l.includes('"type":"send"') && l.includes('"fwd"'))).toBe(true);
    expect(messages.some((l) => l.includes('"type":"recv"'))).toBe(true);
  }, 600_000);

  it('catches the node that answers reads from its own copy (register workload under partitions)', async () => {
    const codes: number[] = [];
    let invalid: string | undefined;
    for (const seed of [1, 2, 3]) {
      const r = await runMaelstrom(`maelstrom-local-reads-${seed}`, [
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
        '--record-messages',
      ]);
      codes.push(r.exitCode ?? -1);
      expect([0, 1], r.all).toContain(r.exitCode);
      if (r.exitCode === 1) {
        invalid = r.run;
        break;
      }
    }
    console.info(`maelstrom --local-reads: exit codes ${codes.join(', ')}`);
    expect(invalid, `exit codes ${codes.join(', ')}`).toBeDefined();
    expect(readResults(invalid!).valid).toBe(false);
    const report = readFileSync(path.join(invalid!, 'report.html'), 'utf8');
    expect(report).toContain('Messages between nodes around the counterexample');
    expect(statSync(path.join(invalid!, 'report.html')).size).toBeLessThan(2_000_000);
  }, 900_000);

  it.each([
    ['is not found', ['--bin', '/nonexistent/node'], /n\d: binary not found: \/nonexistent\/node/, undefined],
    [
      'exits at once',
      ['--bin', '/bin/sh', '--bin-arg=-c', '--bin-arg=echo cannot open config >&2; exit 2'],
      /n\d: the binary exited before answering init \(exit code 2\)/,
      'cannot open config',
    ],
    [
      'never answers init',
      ['--bin', '/bin/sh', '--bin-arg=-c', '--bin-arg=echo waiting for nothing >&2; exec cat >/dev/null'],
      /n\d: the binary did not answer init within 10000 ms/,
      'waiting for nothing',
    ],
    [
      'prints non-JSON',
      ['--bin', '/bin/sh', '--bin-arg=-c', '--bin-arg=echo hello there; exec cat >/dev/null'],
      /n\d: the binary printed a line that is not a message: not JSON: "hello there"/,
      undefined,
    ],
  ])(
    'ends the run with exit 3 and one line naming the node when the binary %s',
    async (_what, args, line, stderr) => {
      const r = await runMaelstrom('maelstrom-bad', [...args, '--nemesis', 'none', '--time-limit', '5']);
      expect(r.exitCode, r.all).toBe(3);
      expect(r.all).toMatch(line);
      expect(r.all).not.toMatch(/^\s+at /m); // no stack trace on the terminal
      if (stderr) expect(readFileSync(path.join(r.run, 'splitbrain.log'), 'utf8')).toContain(stderr);
    },
    120_000,
  );

  it('refuses a call to a Maelstrom service with error 10 and says so in the run log once per node', async () => {
    // Asks lin-kv for a key after init_ok; answers every client request with 11 (temporarily unavailable).
    const script = `
      let rest = ''; process.stdin.setEncoding('utf8');
      const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
      process.stdin.on('data', (c) => { const ls = (rest + c).split('\\n'); rest = ls.pop();
        for (const l of ls) { const m = JSON.parse(l); const b = m.body;
          if (b.type === 'init') { out({ src: m.dest, dest: m.src, body: { type: 'init_ok', in_reply_to: b.msg_id } });
            out({ src: m.dest, dest: 'lin-kv', body: { type: 'read', key: 'x', msg_id: 1 } }); }
          else if (b.type === 'error') process.stderr.write('lin-kv said ' + b.code + '\\n');
          else out({ src: m.dest, dest: m.src, body: { type: 'error', code: 11, in_reply_to: b.msg_id } }); } });`;
    const r = await runMaelstrom('maelstrom-service', [
      '--bin',
      process.execPath,
      '--bin-arg=-e',
      `--bin-arg=${script}`,
      '--nemesis',
      'none',
      '--time-limit',
      '3',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    const log = readFileSync(path.join(r.run, 'splitbrain.log'), 'utf8');
    expect(log.match(/called Maelstrom's lin-kv service/g)).toHaveLength(5); // once per node
    expect(readFileSync(path.join(r.run, 'nodes', 'n1', 'maelstrom.log'), 'utf8')).toContain('lin-kv said 10');
    expect(readResults(r.run).stats.byType.ok).toBe(0);
  }, 120_000);

  it('leaves nothing running after Ctrl-C, and cluster clean sweeps a SIGKILLed run', async () => {
    const start = (name: string) =>
      execa(
        process.execPath,
        [CLI, 'test', '--runtime', 'local', '--db', 'maelstrom', '--bin', NODE, '--nodes', '3'].concat([
          '--nemesis',
          'pause',
          '--time-limit',
          '120',
          '--store',
          store,
          '--name',
          name,
        ]),
        { cwd: ROOT, reject: false, all: true },
      );
    const waitForOps = async (name: string) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const file = path.join(store, name, 'latest', 'history.jsonl');
        if (existsSync(file) && statSync(file).size > 2000) return latestRun(store, name);
        if (Date.now() > deadline) throw new Error(`${name}: no ops recorded`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    const interrupted = start('maelstrom-ctrl-c');
    const run = await waitForOps('maelstrom-ctrl-c');
    const runId = runIdOf(run);
    expect(processesOfRun(runId).length).toBeGreaterThanOrEqual(6); // 3 relays, 3 binaries
    interrupted.kill('SIGINT');
    const r = await interrupted;
    try {
      expect(r.exitCode, r.all).toBe(3);
      expect(processesOfRun(runId)).toEqual([]);
      expect(await namespacesOfRun(runId)).toEqual([]);
    } finally {
      await new LocalRuntime().clean(runId);
    }

    const crashed = start('maelstrom-sigkill');
    const run2 = await waitForOps('maelstrom-sigkill');
    const runId2 = runIdOf(run2);
    crashed.kill('SIGKILL');
    await crashed;
    try {
      expect(processesOfRun(runId2).length, 'relays and binaries outlive a SIGKILLed CLI').toBeGreaterThan(0);
      const clean = await execa(process.execPath, [CLI, 'cluster', 'clean', '--run', runId2], { reject: false });
      expect(clean.exitCode, clean.stderr).toBe(0);
      expect(processesOfRun(runId2)).toEqual([]);
      expect(await namespacesOfRun(runId2)).toEqual([]);
    } finally {
      await new LocalRuntime().clean(runId2);
    }
  }, 600_000);
});
