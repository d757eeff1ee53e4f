/**
 * The Maelstrom relay's overhead on loopback.
 *
 * 1. Added latency per message: an echo node answered 2,000 times in a row, once straight over
 *    its stdin/stdout pipes and once through a relay (client -> relay -> node -> relay ->
 *    client); a round trip is two messages, so the added latency per message is half the
 *    difference of the medians (goal: < 1 ms).
 * 2. Node-to-node: the lin-kv test node's reads asked of a follower (forwarded to the leader
 *    and back: two more messages between relays over TCP) against the same reads asked of the
 *    leader itself.
 * 3. Client ops/s through 5 relays running the lin-kv test node: the kv workload as fast as it
 *    is answered, 100 processes, history written as in a run (goal: >= 2,000 ops/s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLines } from '../../cluster/maelstrom/index.js';
import { HistoryWriter, readJsonl } from '../../src/history/index.js';
import { interpret } from '../../src/runner/interpreter.js';
import { Recorder } from '../../src/runner/recorder.js';
import { computeHistoryStats } from '../../src/store/index.js';
import { kvWorkload, maelstromClientPool, timeLimit } from '../../workloads/index.js';
import { linKvNodePath, startLoopbackRelays } from '../fixtures/maelstrom/loopback-relays.js';

const ROUND_TRIPS = 2000;
const SECONDS = Number(process.env.MAELSTROM_BENCH_SECONDS ?? 10);
const CONCURRENCY = 100;

/** Maelstrom's echo workload node, as small as it gets. */
const ECHO = `let rest = ''; process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { const ls = (rest + c).split('\\n'); rest = ls.pop();
  for (const l of ls) { const m = JSON.parse(l); const b = m.body;
    const reply = b.type === 'init' ? { type: 'init_ok' } : { type: 'echo_ok', echo: b.echo };
    process.stdout.write(JSON.stringify({ src: m.dest, dest: m.src, body: { ...reply, in_reply_to: b.msg_id } }) + '\\n'); } });`;

/** Sends `count` requests one after another through `send`, resolving each on its reply; returns the RTTs in ms. */
async function roundTrips(
  count: number,
  send: (line: string) => void,
  onReply: (cb: (line: string) => void) => void,
  body: (i: number) => Record<string, unknown>,
  dest: string,
): Promise<number[]> {
  const rtts: number[] = [];
  let waiting: (() => void) | undefined;
  onReply(() => waiting?.());
  for (let i = 1; i <= count; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      waiting = r;
      send(JSON.stringify({ src: 'c1', dest, body: { ...body(i), msg_id: i } }));
    });
    rtts.push(performance.now() - t0);
  }
  return rtts;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function echoDirect(): Promise<number[]> {
  const p = spawn(process.execPath, ['-e', ECHO], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: ((l: string) => void)[] = [];
  readLines(p.stdout!, (l) => lines[0]?.(l));
  const send = (l: string) => p.stdin!.write(l + '\n');
  await roundTrips(
    1,
    send,
    (cb) => (lines[0] = cb),
    () => ({ type: 'init', node_id: 'n1', node_ids: ['n1'] }),
    'n1',
  );
  const rtts = await roundTrips(
    ROUND_TRIPS,
    send,
    (cb) => (lines[0] = cb),
    (i) => ({ type: 'echo', echo: i }),
    'n1',
  );
  p.kill('SIGKILL');
  return rtts;
}

/** A raw client connection to a relay (the hello line, then Maelstrom messages). */
async function clientSocket(url: string): Promise<net.Socket> {
  const u = new URL(url);
  const s = net.connect({ host: u.hostname, port: Number(u.port), noDelay: true });
  await new Promise((r) => s.once('connect', r));
  s.write(JSON.stringify({ hello: 'client' }) + '\n');
  return s;
}

async function echoThroughRelay(): Promise<number[]> {
  const group = await startLoopbackRelays({ count: 1, bin: process.execPath, binArgs: ['-e', ECHO] });
  try {
    const s = await clientSocket(group.endpoints[0]!.url);
    let cb: (l: string) => void = () => undefined;
    readLines(s, (l) => cb(l));
    const rtts = await roundTrips(
      ROUND_TRIPS,
      (l) => s.write(l + '\n'),
      (c) => (cb = c),
      (i) => ({ type: 'echo', echo: i }),
      'n1',
    );
    s.destroy();
    return rtts;
  } finally {
    await group.close();
  }
}

async function nodeToNode(): Promise<{ leader: number; follower: number }> {
  const group = await startLoopbackRelays({ count: 2, bin: linKvNodePath() });
  try {
    const out: number[] = [];
    for (const ep of group.endpoints) {
      const s = await clientSocket(ep.url);
      let cb: (l: string) => void = () => undefined;
      readLines(s, (l) => cb(l));
      const read = () => ({ type: 'read', key: 'k' });
      out.push(
        median(
          await roundTrips(
            ROUND_TRIPS,
            (l) => s.write(l + '\n'),
            (c) => (cb = c),
            read,
            ep.node,
          ),
        ),
      );
      s.destroy();
    }
    return { leader: out[0]!, follower: out[1]! };
  } finally {
    await group.close();
  }
}

async function throughput(): Promise<void> {
  const group = await startLoopbackRelays({ count: 5, bin: linKvNodePath() });
  const dir = mkdtempSync(path.join(tmpdir(), 'splitbrain-maelstrom-bench-'));
  try {
    const writer = new HistoryWriter(path.join(dir, 'history.jsonl'));
    const recorder = new Recorder(writer);
    const pool = maelstromClientPool({ endpoints: group.endpoints, opTimeoutMs: 2000 });
    const workload = kvWorkload({ concurrency: CONCURRENCY, rate: 0, seed: 1 });
    const t0 = performance.now();
    await interpret({
      generator: timeLimit(SECONDS * 1e9, workload.generator()),
      pool,
      recorder,
      threads: CONCURRENCY,
    });
    const wall = (performance.now() - t0) / 1000;
    await pool.close();
    writer.close();
    const stats = computeHistoryStats((await readJsonl(writer.path)).events);
    const done = stats.byType.ok + stats.byType.fail + stats.byType.info;
    console.log(
      `5 relays, lin-kv test node, ${CONCURRENCY} processes, ${wall.toFixed(1)} s: ${(done / wall).toFixed(0)} client ops/s completed ` +
        `(${stats.byType.ok} ok, ${stats.byType.fail} fail, ${stats.byType.info} info), latency ok p50 ${stats.latencyMs.ok.p50} ms, ` +
        `p99 ${stats.latencyMs.ok.p99} ms; goal 2000 ops/s: ${done / wall >= 2000 ? 'met' : 'not met'}`,
    );
  } finally {
    await group.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the three measurements. */
export async function run(): Promise<void> {
  const direct = median(await echoDirect());
  const relayed = median(await echoThroughRelay());
  const added = (relayed - direct) / 2;
  console.log(
    `echo round trip, median of ${ROUND_TRIPS}: straight over pipes ${direct.toFixed(3)} ms, through a relay ${relayed.toFixed(3)} ms; ` +
      `added per message ${added.toFixed(3)} ms; goal < 1 ms: ${added < 1 ? 'met' : 'not met'}`,
  );
  const n2n = await nodeToNode();
  console.log(
    `lin-kv read, median of ${ROUND_TRIPS}: at the leader ${n2n.leader.toFixed(3)} ms, at a follower ${n2n.follower.toFixed(3)} ms ` +
      `(+2 node-to-node messages over TCP: ${((n2n.follower - n2n.leader) / 2).toFixed(3)} ms each, the follower's own handling included)`,
  );
  await throughput();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
