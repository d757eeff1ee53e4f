/**
 * Nemesis timings: how long applying and healing a partition takes across five local nodes
 * (one atomic iptables-restore per node, then a read-back), how long packet loss takes to
 * apply and heal on every node, and how fast the pure schedule plans an hour of ops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalRuntime } from '../../cluster/runtime/local/index.js';
import { namespaceUnavailableReason } from '../../cluster/runtime/local/local-runtime.js';
import { FAULTS } from '../../nemesis/index.js';
import { computeGrudge, PARTITION_KINDS } from '../../nemesis/grudge.js';
import { createPacketNemesis } from '../../nemesis/packet-nemesis.js';
import { createPartitionNemesis } from '../../nemesis/partition-nemesis.js';
import { planSchedule } from '../../nemesis/schedule.js';
import { createRng } from '../../workloads/index.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const ROUNDS = 5;

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Prints schedule throughput, then partition and packet-loss apply/heal times in local namespaces. */
export async function run(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const ops = planSchedule({
    nodes: NODES,
    faults: FAULTS.filter((f) => f !== 'packet-delay'),
    seed: 1,
    durationS: 3600,
  });
  console.log(`schedule: ${ops.length} ops in ${ms(t0).toFixed(0)} ms`);

  const why = await namespaceUnavailableReason();
  if (why !== undefined) {
    console.log(`partition timings skipped: ${why}`);
    return;
  }
  const logDir = await mkdtemp(path.join(tmpdir(), 'splitbrain-bench-nemesis-'));
  const cluster = await new LocalRuntime().start({
    runId: `bnm${Date.now().toString(36).slice(-6)}`,
    nodes: NODES,
    logDir,
  });
  try {
    const partition = createPartitionNemesis({ cluster });
    await partition.setup();
    try {
      for (const kind of PARTITION_KINDS.filter((k) => k !== 'leader')) {
        const apply: number[] = [];
        const heal: number[] = [];
        let rules = 0;
        for (let i = 0; i < ROUNDS; i++) {
          const grudge = computeGrudge(kind, NODES, createRng(i));
          let t = process.hrtime.bigint();
          const started = await partition.invoke({ f: 'start-partition', value: { partition: kind, grudge } });
          apply.push(ms(t));
          rules = started.value.injected ?? 0;
          t = process.hrtime.bigint();
          await partition.invoke({ f: 'stop-partition' });
          heal.push(ms(t));
        }
        console.log(
          `partition ${kind.padEnd(15)} ${String(rules).padStart(2)} rules: apply median ${median(apply).toFixed(0)} ms, heal median ${median(heal).toFixed(0)} ms (5 nodes, ${ROUNDS} rounds)`,
        );
      }
    } finally {
      await partition.teardown();
    }
    const packet = createPacketNemesis({ cluster });
    await packet.setup();
    try {
      const t = process.hrtime.bigint();
      await packet.invoke({ f: 'start-packet-loss', value: { targets: 'all', nodes: NODES, probability: 0.3 } });
      await packet.invoke({ f: 'stop-packet-loss' });
      console.log(`packet loss on all 5 nodes: apply + heal ${ms(t).toFixed(0)} ms`);
    } finally {
      await packet.teardown();
    }
  } finally {
    await cluster.teardown();
    await rm(logDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
