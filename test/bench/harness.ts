/**
 * The client harness under sustained load: 100 concurrent processes, the kv workload as fast as
 * the cluster answers, against raftkv node processes on loopback, with the history written to
 * disk as in a real run. Prints ops/s (goal: 2,000 on a 2-core machine) and latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalRaftkvCluster } from '../support/local-raftkv-cluster.js';
import { HistoryWriter, readJsonl } from '../../src/history/index.js';
import { interpret } from '../../src/runner/interpreter.js';
import { Recorder } from '../../src/runner/recorder.js';
import { computeHistoryStats } from '../../src/store/index.js';
import { kvWorkload, raftkvClientPool, timeLimit } from '../../workloads/index.js';

const CONCURRENCY = 100;
const SECONDS = Number(process.env.HARNESS_SECONDS ?? 10);

async function measure(nodes: number, basePort: number): Promise<void> {
  const cluster = new LocalRaftkvCluster({ size: nodes, basePort });
  const dir = mkdtempSync(path.join(tmpdir(), 'splitbrain-harness-'));
  try {
    await cluster.start(30_000);
    const writer = new HistoryWriter(path.join(dir, 'history.jsonl'));
    const recorder = new Recorder(writer);
    const pool = raftkvClientPool({
      endpoints: cluster.ids.map((id) => ({ node: id, url: `http://127.0.0.1:${cluster.clientPort(id)}` })),
      opTimeoutMs: 2000,
    });
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
      `raftkv ${nodes} nodes, ${CONCURRENCY} processes, ${wall.toFixed(1)} s: ${(done / wall).toFixed(0)} ops/s completed ` +
        `(${(stats.byType.ok / wall).toFixed(0)} ok/s; ${stats.byType.ok} ok, ${stats.byType.fail} fail, ${stats.byType.info} info), ` +
        `latency ok p50 ${stats.latencyMs.ok.p50} ms, p99 ${stats.latencyMs.ok.p99} ms; ` +
        `goal 2000 ops/s: ${done / wall >= 2000 ? 'met' : 'not met'}`,
    );
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the harness against 1-, 3- and 5-node clusters. One node shows what the harness itself
 * sustains against a real raftkv process (no replication); more nodes add Raft's cost, which on
 * two shared cores is where the time goes.
 */
export async function run(): Promise<void> {
  await measure(1, 24100);
  await measure(3, 24200);
  await measure(5, 24300);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
