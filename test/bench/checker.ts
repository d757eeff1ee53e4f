/**
 * Checker benchmark: check time per Porcupine corpus file beside Porcupine's own time for it
 * (../shared/bench/porcupine-times.tsv, measured on a quiet machine of this kind) and the
 * whole-corpus ratio (goal <= 0.5x, no file slower); how closely a time limit is kept; and a
 * streamed 10,000,000-op kv history over 10,000 keys, 50 processes, 1% crashed ops (about 2 GB of
 * JSONL, written to the temp folder once), checked by the CLI in a child process (goal: valid in
 * < 60 s, < 2 GiB peak RSS; the same history with one impossible read added: invalid).
 *
 * Times on a shared machine are noisy: the corpus figure is the minimum of several rounds in one
 * process (as Porcupine's are the minimum of three, its code compiled ahead); the first check of
 * a file in a fresh process (JIT still cold) is shown for the slow files beside it.
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { check, checkSync, type CheckResult } from '../../checker/index.js';
import { readHistory, type ReadHistory } from '../../src/history/index.js';
import { CORPUS_DIR, CORPUS_PRESENT, corpusEntries, type CorpusEntry } from '../checker/corpus.js';
import { hardInvalidHistory } from '../checker/hand-made.js';
import { writeBigKeyedHistory } from './big-history.js';

const ROUNDS = 7;
const CLI = resolve(import.meta.dirname, '../../src/cli/main.js');
const PORCUPINE_TIMES = resolve(CORPUS_DIR, '../../bench/porcupine-times.tsv');
/** Files Porcupine needs at least this long for also get a cold (fresh process) time. */
const COLD_FROM_MS = 10;

/** Runs the checker benchmark sections, printing their numbers. */
export async function run(): Promise<void> {
  await corpus();
  await timeLimits();
  await scale();
}

/** Porcupine's check time per corpus file (relative path, e.g. `kv/c50-ok.txt`), in ms. */
function porcupineTimes(): Map<string, number> {
  const times = new Map<string, number>();
  if (!existsSync(PORCUPINE_TIMES)) return times;
  for (const line of readFileSync(PORCUPINE_TIMES, 'utf8').split('\n')) {
    const [file, ms] = line.split('\t');
    if (file && ms && !line.startsWith('#') && file !== 'file') times.set(file, Number(ms));
  }
  return times;
}

async function corpus(): Promise<void> {
  if (!CORPUS_PRESENT) {
    console.log(`corpus: skipped, ${CORPUS_DIR} is absent`);
    return;
  }
  const porcupine = porcupineTimes();
  const loaded: { entry: CorpusEntry; history: ReadHistory; name: string }[] = [];
  for (const entry of corpusEntries()) {
    loaded.push({
      entry,
      history: await readHistory(entry.path, entry.format),
      name: relative(CORPUS_DIR, entry.path),
    });
  }
  // Round 0 warms the JIT; the minimum of the others is reported per file: the check's own `ms`
  // (wall clock) and the process's CPU time around it (all threads, so GC helpers count), which
  // a crowded machine inflates far less.
  const wall = loaded.map(() => Infinity);
  const cpu = loaded.map(() => Infinity);
  for (let round = 0; round <= ROUNDS; round++) {
    loaded.forEach(({ entry, history }, i) => {
      const before = process.cpuUsage();
      const r = checkSync(history.events, { model: entry.model });
      const used = process.cpuUsage(before);
      if (r.valid !== entry.expected)
        throw new Error(`${entry.name}: got ${String(r.valid)}, FORMAT.md says ${String(entry.expected)}`);
      if (round === 0) return;
      wall[i] = Math.min(wall[i]!, r.ms);
      cpu[i] = Math.min(cpu[i]!, (used.user + used.system) / 1000);
    });
  }
  console.log(
    `corpus: check time per file, ms; splitbrain's is the minimum of ${ROUNDS} rounds in one process, wall and CPU (noisy on a shared machine)`,
  );
  console.log(
    `  ${'file'.padEnd(22)} ${'porcupine'.padStart(10)} ${'wall'.padStart(9)} ${'ratio'.padStart(6)} ${'cpu'.padStart(9)} ${'ratio'.padStart(6)} ${'cold'.padStart(8)}`,
  );
  const totals = { porcupine: 0, wall: 0, cpu: 0 };
  const slower = { wall: [] as string[], cpu: [] as string[] };
  for (let i = 0; i < loaded.length; i++) {
    const { entry, name } = loaded[i]!;
    const p = porcupine.get(name);
    const [w, c] = [wall[i]!, cpu[i]!];
    if (p === undefined) {
      console.log(
        `  ${name.padEnd(22)} ${'-'.padStart(10)} ${w.toFixed(3).padStart(9)} ${''.padStart(6)} ${c.toFixed(3).padStart(9)}`,
      );
      continue;
    }
    totals.porcupine += p;
    totals.wall += w;
    totals.cpu += c;
    if (w > p) slower.wall.push(name);
    if (c > p) slower.cpu.push(name);
    const cold = p >= COLD_FROM_MS ? (await coldCheck(entry)).ms.toFixed(1).padStart(8) : '';
    const cells = [
      p.toFixed(3).padStart(10),
      w.toFixed(3).padStart(9),
      (w / p).toFixed(2).padStart(6),
      c.toFixed(3).padStart(9),
      (c / p).toFixed(2).padStart(6),
    ];
    console.log(`  ${name.padEnd(22)} ${cells.join(' ')} ${cold}`);
  }
  console.log('  (cold: the `ms` the CLI reports checking the file first thing in a fresh process, JIT not yet warm)');
  for (const kind of ['wall', 'cpu'] as const) {
    const list = slower[kind];
    console.log(
      `corpus (${kind}): ${loaded.length} files, splitbrain ${totals[kind].toFixed(1)} ms, Porcupine ${totals.porcupine.toFixed(1)} ms: ` +
        `ratio ${(totals[kind] / totals.porcupine).toFixed(2)}x (goal <= 0.5x); ${list.length} file(s) slower than Porcupine` +
        `${list.length > 0 ? `: ${list.join(' ')}` : ''} (goal: none)`,
    );
  }
}

/** The check time the CLI reports for one corpus file checked first thing in a fresh process. */
async function coldCheck(entry: CorpusEntry): Promise<CheckResult> {
  const { stdout } = await execa(
    'node',
    [CLI, 'check', '--json', '--format', entry.format, '--model', entry.model, entry.path],
    { reject: false },
  );
  return JSON.parse(stdout) as CheckResult;
}

async function timeLimits(): Promise<void> {
  for (const limitMs of [1000, 3000]) {
    const t0 = performance.now();
    const r = await check(hardInvalidHistory(26), { model: 'cas-register', timeLimitMs: limitMs });
    const wall = performance.now() - t0;
    console.log(
      `time limit ${limitMs} ms: verdict ${String(r.valid)} (${r.reason}), check ${r.ms.toFixed(0)} ms, wall ${wall.toFixed(0)} ms, overshoot ${(((r.ms - limitMs) / limitMs) * 100).toFixed(1)}%`,
    );
  }
}

const SCALE = { ops: 10_000_000, keys: 10_000, processes: 50, crashed: 0.01 };

async function scale(): Promise<void> {
  for (const poisoned of [false, true]) {
    const file = join(tmpdir(), `splitbrain-bench-${SCALE.ops}-ops${poisoned ? '-poisoned' : ''}.jsonl`);
    if (!existsSync(file)) {
      const t0 = performance.now();
      const events = writeBigKeyedHistory(file, { ...SCALE, ...(poisoned ? { poisonRead: 7_777_777 } : {}) });
      console.log(`scale: wrote ${file} (${events} events) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    // /usr/bin/time reports the child's peak RSS; the CLI streams files this big.
    const timed = existsSync('/usr/bin/time');
    const cmd = timed ? '/usr/bin/time' : 'node';
    const args = [...(timed ? ['-f', '%M %U %S', 'node'] : []), CLI, 'check', '--model', 'kv', '--json', file];
    const t0 = performance.now();
    const { stdout, stderr, exitCode } = await execa(cmd, args, { reject: false });
    const wall = (performance.now() - t0) / 1000;
    const r = JSON.parse(stdout.split('\n')[0]!) as CheckResult;
    const [rssKb, user, sys] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    const rss =
      timed && rssKb !== undefined
        ? `${(rssKb / 2 ** 20).toFixed(2)} GiB peak RSS`
        : 'peak RSS not measured (no /usr/bin/time)';
    const cpu = timed ? `, CPU ${((user ?? 0) + (sys ?? 0)).toFixed(1)} s` : '';
    console.log(
      `scale: ${poisoned ? 'with one impossible read' : 'as generated'}: ${String(r.valid)} (exit ${exitCode}${r.reason ? `, ${r.reason}` : ''}), ${r.ops} ops, ${r.keys} keys, ` +
        `wall ${wall.toFixed(1)} s${cpu}, ${rss}; goal: ${poisoned ? 'false' : 'true'}, < 60 s, < 2 GiB`,
    );
  }
}

// Run directly: `node dist/test/bench/checker.js`.
if (process.argv[1]?.endsWith('/bench/checker.js')) await run();
