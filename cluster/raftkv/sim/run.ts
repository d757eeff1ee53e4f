/**
 * One seeded simulation: a 5-node raftkv cluster, a simulated network (loss, delay, reordering,
 * partitions), crashes that keep only what reached the disk, concurrent clients recording a
 * history, and a judge. Everything random comes from the seed, and nothing reads a clock, so a
 * seed replays exactly.
 */
import type { BugName, Message, NodeId } from '../core/index.js';
import type { SimEvent } from './history.js';
import { SimClients } from './clients.js';
import { EventQueue } from './event-queue.js';
import { SafetyInvariants, type Violation } from './invariants.js';
import { NEMESIS_FAMILIES, runNemesis, type NemesisFamily } from './nemesis.js';
import { Rng } from './rng.js';
import { SimNode, type SimNodeOptions } from './sim-node.js';

/** A linearizability verdict on a history, as the simulator needs it. */
export interface Judgement {
  valid: true | false | 'unknown';
  /** Why: the counterexample's explanation, or the reason the verdict is unknown. */
  detail?: string;
  /** The full result, for callers that print or save it. */
  result?: unknown;
}

/** Judges a history; the toolkit passes the linearizability checker here (src/sim). */
export type Judge = (history: SimEvent[]) => Judgement;

/** Options for one simulated run. */
export interface SimRunOptions {
  seed: number;
  bugs?: readonly BugName[];
  /** Cluster size. Default 5. */
  nodes?: number;
  /** Simulated milliseconds of client load. Default 3000. */
  duration?: number;
  judge?: Judge;
}

/** The knobs a seed drew; printed so a failure can be read without rerunning. */
export interface SimConfig {
  family: NemesisFamily;
  node: SimNodeOptions;
  baseLoss: number;
  maxDelay: number;
  clients: number;
  keys: number;
}

/** What one run found. */
export interface SimRunResult {
  seed: number;
  verdict: 'valid' | 'invalid' | 'unknown';
  /** The first violated safety property, if any. */
  violation?: Violation;
  judgement?: Judgement;
  history: SimEvent[];
  config: SimConfig;
  stats: {
    ops: number;
    ok: number;
    fail: number;
    info: number;
    events: number;
    messages: number;
    maxTerm: number;
    crashes: number;
    /** After faults healed and the cluster settled: whether one leader led and every node caught up (liveness, reported, not judged). */
    settled: boolean;
  };
}

const TICK_MS = 10;

/** Runs one seeded simulation to completion. */
export function runSimulation(opts: SimRunOptions): SimRunResult {
  const root = new Rng(opts.seed);
  const knobs = root.fork();
  const netRng = root.fork();
  const nemesisRng = root.fork();
  const clientRng = root.fork();
  const q = new EventQueue();
  const bugs = new Set<BugName>(opts.bugs ?? []);
  const n = opts.nodes ?? 5;
  const duration = opts.duration ?? 3000;
  const ids: NodeId[] = Array.from({ length: n }, (_, i) => `n${i + 1}`);

  const family = knobs.pick(NEMESIS_FAMILIES);
  const nodeOpts: SimNodeOptions = {
    preVote: knobs.chance(0.6),
    checkQuorum: knobs.chance(0.6),
    electionTick: 10,
    maxEntriesPerMsg: family === 'leader-churn' ? knobs.pick([1, 1, 2]) : knobs.pick([1, 4, 64]),
    maxInflight: knobs.pick([1, 4, 256]),
    compactEvery: knobs.pick([20, 100, 1000]),
    flushDelay: knobs.int(10, 40),
  };
  const config: SimConfig = {
    family,
    node: nodeOpts,
    baseLoss: knobs.pick([0, 0.01, 0.05]),
    maxDelay: knobs.pick([2, 5, 15]),
    clients: knobs.int(3, 6),
    keys: knobs.int(1, 3),
  };

  const history: SimEvent[] = [];
  const stats = { ops: 0, ok: 0, fail: 0, info: 0, events: 0, messages: 0, maxTerm: 0, crashes: 0, settled: false };
  const invariants = new SafetyInvariants(() => q.now);
  let loss = config.baseLoss;
  const blocked = new Set<string>();

  const nodes = new Map<NodeId, SimNode>();
  const world = {
    now: () => q.now,
    after: (d: number, fn: () => void) => q.after(d, fn),
    invariants,
    bugs,
    send: (m: Message) => {
      stats.messages++;
      if (netRng.chance(loss)) return;
      q.after(netRng.int(1, config.maxDelay), () => {
        if (blocked.has(`${m.from}|${m.to}`)) return;
        nodes.get(m.to)?.receive(m);
      });
    },
  };
  for (const id of ids) {
    const node = new SimNode(id, ids, world, nodeOpts, root.fork());
    nodes.set(id, node);
    node.boot();
    // Each node ticks on its own phase, like independent timers.
    const phase = knobs.int(0, TICK_MS - 1);
    const tick = (): void => {
      node.tick();
      q.after(TICK_MS, tick);
    };
    q.after(phase, tick);
  }

  const record = (e: Omit<SimEvent, 'time' | 'index'>): void => {
    history.push({ ...e, time: q.now * 1_000_000, index: history.length });
  };

  const leader = (): NodeId | undefined => {
    let best: SimNode | undefined;
    for (const node of nodes.values()) {
      if (!node.alive || node.rn.raft.role !== 'leader') continue;
      if (!best || node.rn.raft.term > best.rn.raft.term) best = node;
    }
    return best?.id;
  };

  runNemesis(
    family,
    {
      now: () => q.now,
      after: (d, fn) => q.after(d, fn),
      nodeIds: ids,
      leader,
      isAlive: (id) => nodes.get(id)!.alive,
      partition: (groups, label) => {
        // Faults stop with the load, so the heal phase is fault-free (a figure-8 step may still be polling).
        if (q.now >= duration) return;
        blocked.clear();
        for (const a of groups)
          for (const b of groups) if (a !== b) for (const x of a) for (const y of b) blocked.add(`${x}|${y}`);
        record({
          type: 'info',
          process: 'nemesis',
          f: 'start-partition',
          value: `${label}: ${groups.map((g) => g.join(',')).join(' | ')}`,
        });
      },
      heal: () => {
        if (blocked.size === 0) return;
        blocked.clear();
        record({ type: 'info', process: 'nemesis', f: 'stop-partition' });
      },
      crash: (id) => {
        if (q.now >= duration) return;
        stats.crashes++;
        nodes.get(id)!.crash();
        record({ type: 'info', process: 'nemesis', f: 'kill', value: id });
      },
      restart: (id) => {
        const node = nodes.get(id)!;
        if (node.alive) return;
        node.boot();
        record({ type: 'info', process: 'nemesis', f: 'start', value: id });
      },
      setLoss: (rate) => {
        if (q.now >= duration) return;
        loss = rate;
      },
      status: (id) => {
        const node = nodes.get(id)!;
        if (!node.alive) return undefined;
        const r = node.rn.raft;
        return { role: r.role, term: r.term, commit: r.log.committed };
      },
    },
    nemesisRng,
    duration,
    config.baseLoss,
  );

  const clients = new SimClients(
    {
      now: () => q.now,
      after: (d, fn) => q.after(d, fn),
      nodeIds: ids,
      request: (id, req, reply) => {
        // Client links are not partitioned; a dead node just never answers.
        q.after(clientRng.int(1, 3), () =>
          nodes.get(id)!.request(req, (r) => q.after(clientRng.int(1, 3), () => reply(r))),
        );
      },
      record,
    },
    {
      clients: config.clients,
      keys: ['x', 'y', 'z'].slice(0, config.keys),
      until: duration,
      timeout: 150,
      maxAttempts: 3,
      readShare: 0.4,
    },
    clientRng,
  );
  clients.start();

  const stop = (): boolean => invariants.violation !== undefined;
  stats.events += q.runUntil(duration, stop);
  // Heal and restart everything so outstanding ops can finish, then let the cluster settle.
  if (!stop()) {
    blocked.clear();
    loss = 0;
    for (const node of nodes.values()) if (!node.alive) node.boot();
    stats.events += q.runUntil(duration + 1500, () => stop() || clients.outstanding === 0);
    stats.events += q.runUntil(q.now + 300, stop);
  }
  if (!invariants.violation) {
    const live = [...nodes.values()].filter((x) => x.alive);
    invariants.checkLogMatching(
      live.map((x) => ({ node: x.id, entries: (lo: number, hi: number) => x.storage.entries(lo, hi), log: x.storage })),
    );
  }
  for (const node of nodes.values()) if (node.rn) stats.maxTerm = Math.max(stats.maxTerm, node.rn.raft.term);
  const lead = leader();
  if (lead !== undefined) {
    const commit = nodes.get(lead)!.rn.raft.log.committed;
    stats.settled = [...nodes.values()].every(
      (x) => x.alive && x.rn.raft.lead === lead && x.rn.raft.log.applied === commit,
    );
  }
  for (const e of history) {
    if (e.process === 'nemesis') continue;
    if (e.type === 'invoke') stats.ops++;
    else stats[e.type]++;
  }

  const result: SimRunResult = { seed: opts.seed, verdict: 'valid', history, config, stats };
  if (invariants.violation) {
    result.verdict = 'invalid';
    result.violation = invariants.violation;
    return result;
  }
  if (opts.judge) {
    const j = opts.judge(history);
    result.judgement = j;
    if (j.valid === false) result.verdict = 'invalid';
    else if (j.valid === 'unknown') result.verdict = 'unknown';
  }
  return result;
}
