/**
 * Checker benchmark: check time per Porcupine corpus file and in total (goal <= 1.2 s, aim 0.6 s
 * on the 2-core machine), how closely a time limit is kept, and a generated keyed history of
 * 1,000,000 ops over 1,000 keys with 1% crashed ops (goal < 60 s and < 2 GiB peak).
 */
import { check, checkSync } from '../../checker/index.js';
import { readHistory, type ReadHistory } from '../../src/history/index.js';
import { CORPUS_DIR, CORPUS_PRESENT, corpusEntries, type CorpusEntry } from '../checker/corpus.js';
import { hardInvalidHistory } from '../checker/hand-made.js';
import { generateKeyedHistory } from '../checker/keyed-history.js';

const PASSES = 5;

/** Runs the checker benchmark sections, printing their numbers. */
export async function run(): Promise<void> {
  await corpus();
  await timeLimits();
  await scale();
}

async function corpus(): Promise<void> {
  if (!CORPUS_PRESENT) {
    console.log(`corpus: skipped, ${CORPUS_DIR} is absent`);
    return;
  }
  const loaded: { entry: CorpusEntry; history: ReadHistory }[] = [];
  for (const entry of corpusEntries()) loaded.push({ entry, history: await readHistory(entry.path, entry.format) });
  // Pass 0 warms the JIT; the median of the others is reported per file.
  const times = loaded.map(() => [] as number[]);
  const totals: number[] = [];
  for (let pass = 0; pass <= PASSES; pass++) {
    let total = 0;
    loaded.forEach(({ entry, history }, i) => {
      const r = checkSync(history.events, { model: entry.model });
      if (r.valid !== entry.expected) throw new Error(`${entry.name}: got ${String(r.valid)}, FORMAT.md says ${String(entry.expected)}`);
      total += r.ms;
      if (pass > 0) times[i]!.push(r.ms);
    });
    if (pass > 0) totals.push(total);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log('corpus: check time per file (median of %d passes, ms)', PASSES);
  const rows = loaded.map(({ entry }, i) => `${entry.name.padEnd(14)} ${median(times[i]!).toFixed(2).padStart(8)}  ${entry.expected ? 'ok' : 'illegal'}`);
  for (let i = 0; i < rows.length; i += 3) console.log('  ' + rows.slice(i, i + 3).join('    '));
  const sumOfMedians = times.reduce((a, t) => a + median(t), 0);
  console.log(`corpus: ${loaded.length} files, total check time ${sumOfMedians.toFixed(0)} ms (sum of medians); per pass: ${totals.map((t) => t.toFixed(0)).join(', ')} ms`);
  console.log(`corpus: goal <= 1200 ms, aim 600 ms`);
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

async function scale(): Promise<void> {
  const ops = 1_000_000;
  let t0 = performance.now();
  const events = generateKeyedHistory({ ops, keys: 1000, processes: 200, crashed: 0.01 });
  console.log(`scale: generated ${ops} ops (${events.length} events) over 1000 keys, 1% crashed, in ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
  const r = await check(events, { model: 'kv' });
  const wall = performance.now() - t0;
  // maxRSS covers the whole process, worker threads and history generation included.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(
    `scale: verdict ${String(r.valid)}, ${r.ops} ops, ${r.keys} keys, check ${(r.ms / 1000).toFixed(2)} s (wall ${(wall / 1000).toFixed(2)} s, ${r.workers ?? 0} worker threads); goal < 60 s`,
  );
  console.log(`scale: peak RSS ${(maxRssBytes / 2 ** 30).toFixed(2)} GiB for the whole process (history generation included); goal < 2 GiB`);
  const t1 = performance.now();
  const inThread = await check(events, { model: 'kv', workers: 0 });
  console.log(`scale: same history in one thread (no workers): ${String(inThread.valid)} in ${((performance.now() - t1) / 1000).toFixed(2)} s`);
  const t2 = performance.now();
  const spread = await check(events, { model: 'kv', workers: 2 });
  console.log(
    `scale: same history with every key sent to 2 worker threads: ${String(spread.valid)} in ${((performance.now() - t2) / 1000).toFixed(2)} s; peak RSS now ${((process.resourceUsage().maxRSS * 1024) / 2 ** 30).toFixed(2)} GiB`,
  );
}

// Run directly: `node dist/test/bench/checker.js`.
if (process.argv[1]?.endsWith('/bench/checker.js')) await run();
