/**
 * The nemesis's pure parts told as scenarios: grudges, targets, iptables rule sets and seeded
 * schedules, each file in testdata/ one story. REWRITE=1 regenerates the expected output.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readScenario, writeScenario, type DataCase } from './datadriven.js';
import { type FaultName } from '../../nemesis/index.js';
import { computeGrudge, computeHeard, describeGrudge, type PartitionKind } from '../../nemesis/grudge.js';
import {
  computePartitionRules,
  computePacketLossRules,
  renderApplyScript,
  renderHealScript,
  PARTITION_CHAIN,
} from '../../nemesis/iptables.js';
import { createFinalHeal, planSchedule } from '../../nemesis/schedule.js';
import { computeTargets, type TargetKind } from '../../nemesis/targets.js';
import { createRng, type TimedOp } from '../../workloads/index.js';
import { simulate } from '../workloads/simulate.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

const nodesOf = (n: string | undefined): string[] => Array.from({ length: Number(n ?? 5) }, (_, i) => `n${i + 1}`);
const addressesOf = (nodes: string[]): Record<string, string> =>
  Object.fromEntries(nodes.map((n, i) => [n, `10.77.0.${i + 2}`]));

function describeOp({ at, op }: TimedOp): string {
  const t = `t=${(at / 1e9).toFixed(2)}s`;
  const v = op.value as Record<string, unknown> | undefined;
  if (v === undefined) return `${t} ${op.f}`;
  if (op.f === 'start-partition') {
    const g = v.grudge as Parameters<typeof describeGrudge>[0] | undefined;
    return `${t} ${op.f} ${String(v.partition)}${g ? `: ${describeGrudge(g)}` : ' (resolved at invoke)'}`;
  }
  return `${t} ${op.f} ${JSON.stringify(v)}`;
}

/** One handler per command; each returns the text the case expects. */
const handlers: Record<string, (c: DataCase) => string> = {
  grudge: ({ args }) => {
    const nodes = nodesOf(args.nodes);
    const g = computeGrudge(args.kind as PartitionKind, nodes, createRng(Number(args.seed ?? 1)), {
      leader: args.leader,
    });
    if (g === undefined) return 'no grudge';
    const heard = computeHeard(g, nodes);
    return [describeGrudge(g), ...nodes.map((n) => `  ${n} hears ${heard[n]?.join(',')}`)].join('\n');
  },
  targets: ({ args }) => {
    const nodes = nodesOf(args.nodes);
    const rng = createRng(Number(args.seed ?? 1));
    const draws = Number(args.draws ?? 1);
    return Array.from(
      { length: draws },
      () => computeTargets(args.kind as TargetKind, nodes, rng, args.leader).join(',') || '(none)',
    ).join('\n');
  },
  rules: ({ args }) => {
    const nodes = nodesOf(args.nodes);
    const g = computeGrudge(args.kind as PartitionKind, nodes, createRng(Number(args.seed ?? 1)), {
      leader: args.leader,
    });
    const rules = computePartitionRules(g ?? {}, addressesOf(nodes));
    return Object.entries(rules)
      .map(([n, rs]) => `${n}:\n${rs.map((r) => `  ${r.join(' ')}`).join('\n')}`)
      .join('\n');
  },
  'packet-rules': ({ args }) => {
    const nodes = nodesOf(args.nodes);
    const rules = computePacketLossRules((args.targets ?? '').split(','), addressesOf(nodes), Number(args.p ?? 0.3));
    return Object.entries(rules)
      .map(([n, rs]) => `${n}:\n${rs.map((r) => `  ${r.join(' ')}`).join('\n')}`)
      .join('\n');
  },
  script: ({ args }) => {
    const nodes = nodesOf(args.nodes);
    const g = computeGrudge(args.kind as PartitionKind, nodes, createRng(Number(args.seed ?? 1)));
    const rules = computePartitionRules(g ?? {}, addressesOf(nodes))[args.node ?? 'n1'] ?? [];
    const text =
      args.heal === 'true' ? renderHealScript(PARTITION_CHAIN, rules) : renderApplyScript(PARTITION_CHAIN, rules);
    return text.trimEnd();
  },
  schedule: ({ args }) => {
    const plan = planSchedule({
      nodes: nodesOf(args.nodes),
      faults: (args.faults ?? '').split(',') as FaultName[],
      seed: Number(args.seed ?? 1),
      durationS: Number(args.duration ?? 60),
      ...(args.interval !== undefined ? { intervalS: Number(args.interval) } : {}),
      leaderAware: args.leader === 'true',
    });
    return plan
      .slice(0, Number(args.ops ?? 6))
      .map(describeOp)
      .join('\n');
  },
  final: ({ args }) =>
    simulate(createFinalHeal((args.faults ?? '').split(',') as FaultName[]), { threads: 1, latencyNs: 1, untilNs: 1e9 })
      .filter((e) => e.type === 'invoke')
      .map((e) => e.f)
      .join('\n') || '(nothing)',
};

for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
  describe(`scenario ${file}`, () => {
    const full = path.join(dir, file);
    const { header, cases } = readScenario(full);
    const actuals = cases.map((c) => {
      const handler = handlers[c.command];
      if (handler === undefined) throw new Error(`${file}:${c.line}: unknown command ${c.command}`);
      return handler(c);
    });
    if (process.env.REWRITE === '1') {
      writeScenario(
        full,
        header,
        cases.map((c, i) => ({ source: c.source, actual: actuals[i] as string })),
      );
    }
    cases.forEach((c, i) => {
      it(`${file}:${c.line} ${c.source}`, () => {
        expect(actuals[i]).toBe(c.expected);
      });
    });
  });
}
