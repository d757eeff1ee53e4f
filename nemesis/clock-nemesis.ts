/**
 * Clock skew through libfaketime: `bump-clock` sets per-node wall-clock offsets, `strobe-clock`
 * flips nodes between an offset and true time every few hundred milliseconds until stopped, and
 * `reset-clock` stops any strobe and puts every touched node back to true time. Only daemons
 * spawned with `fakeTime` follow the offset, and only if they read time through libc: a DB that
 * says `clockSkewEffective: false` (Go binaries such as etcd) gets the fault recorded as
 * ineffective rather than pretended.
 */
import { isClockAware, type Db } from '../cluster/db/index.js';
import type { StartedCluster } from '../cluster/runtime/index.js';
import { defaultSleep, findLeader, type FindLeaderOptions } from './leader.js';
import {
  completeOp,
  createSerializer,
  forEachNode,
  healingTeardown,
  type CompletedNemesisOp,
  type Nemesis,
  type NemesisOp,
} from './nemesis.js';

/**
 * The plan a `bump-clock` op carries: milliseconds to add to each named node's wall clock, or
 * `offsetMs` for the leader, asked of the DB when the fault starts.
 */
export type BumpPlan = { offsets: Record<string, number> } | { targets: 'leader'; offsetMs: number };

/** The plan a `strobe-clock` op carries: the nodes, or the leader asked of the DB when the fault starts. */
export interface StrobePlan {
  nodes?: string[];
  targets?: 'leader';
  /** The offset the strobed nodes flip to and back from, in milliseconds. */
  deltaMs: number;
  periodMs: number;
}

/** What the clock nemesis needs; `sleep` paces the strobe and is injectable. */
export interface ClockNemesisOptions {
  cluster: StartedCluster;
  db?: Db;
  leader?: FindLeaderOptions;
  sleep?: (ms: number) => Promise<void>;
}

/** Says whether skewing this DB's clock changes anything, and if not, why, for the history and the output. */
export function describeClockEffect(db: Db | undefined): { effective: boolean; note?: string } {
  if (db !== undefined && isClockAware(db) && !db.clockSkewEffective) {
    return {
      effective: false,
      note: `${db.name} does not read its wall clock through libc (a Go binary reads it from the vDSO), so libfaketime offsets do not reach it`,
    };
  }
  return { effective: true };
}

/** Makes the nemesis that handles `bump-clock`, `strobe-clock` and `reset-clock`. */
export function createClockNemesis(opts: ClockNemesisOptions): Nemesis {
  const { cluster } = opts;
  const sleep = opts.sleep ?? defaultSleep;
  const serial = createSerializer();
  const effect = describeClockEffect(opts.db);
  /** node -> offset now in force (only nodes set to non-zero, or set and not yet reset). */
  const offsets = new Map<string, number>();
  let strobe: { stop: boolean; done: Promise<number> } | undefined;

  const set = async (name: string, ms: number): Promise<void> => {
    offsets.set(name, ms);
    await cluster.node(name).setClockOffset(ms);
  };

  const leaderNodes = async (): Promise<string[]> => {
    const leader = await findLeader(opts.db, cluster, opts.leader);
    return leader === undefined ? [] : [leader];
  };
  const noLeader = (f: string): CompletedNemesisOp => ({
    f,
    value: { injected: 0, targets: 'leader', skipped: 'no target node (no leader known)' },
  });

  const bump = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as BumpPlan;
    let wanted: Record<string, number>;
    if ('offsets' in plan) wanted = plan.offsets;
    else {
      const [leader] = await leaderNodes();
      if (leader === undefined) return noLeader(op.f);
      wanted = { [leader]: plan.offsetMs };
    }
    const applied: Record<string, number> = {};
    const r = await forEachNode(
      Object.keys(wanted),
      async (name) => {
        await set(name, (offsets.get(name) ?? 0) + (wanted[name] as number));
        applied[name] = offsets.get(name) as number;
      },
      { sequential: true },
    );
    return completeOp(op.f, { injected: r.done, offsets: applied, ...effect }, r.errors);
  };

  const startStrobe = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as StrobePlan;
    await stopStrobe();
    const wanted = plan.targets === 'leader' ? await leaderNodes() : (plan.nodes ?? []);
    if (wanted.length === 0) return noLeader(op.f);
    const nodes: string[] = [];
    // The first flip happens here, so a node that cannot be skewed is reported on this op.
    const { errors } = await forEachNode(
      wanted,
      async (name) => {
        await set(name, plan.deltaMs);
        nodes.push(name);
      },
      { sequential: true },
    );
    if (nodes.length > 0) {
      const state = { stop: false, done: Promise.resolve(1) };
      state.done = (async () => {
        let flips = 1;
        let on = true;
        while (!state.stop) {
          await sleep(plan.periodMs);
          if (state.stop) break;
          on = !on;
          await Promise.all(nodes.map((n) => set(n, on ? plan.deltaMs : 0).catch(() => undefined)));
          flips++;
        }
        return flips;
      })();
      strobe = state;
    }
    const value = { injected: nodes.length, nodes, deltaMs: plan.deltaMs, periodMs: plan.periodMs, ...effect };
    return completeOp(op.f, value, errors);
  };

  const stopStrobe = async (): Promise<number | undefined> => {
    if (strobe === undefined) return undefined;
    strobe.stop = true;
    const flips = await strobe.done;
    strobe = undefined;
    return flips;
  };

  const reset = async (): Promise<CompletedNemesisOp> => {
    const flips = await stopStrobe();
    const nodes = [...offsets.keys()].sort();
    const r = await forEachNode(
      nodes,
      async (name) => {
        await cluster.node(name).setClockOffset(0);
        offsets.delete(name);
      },
      { sequential: true },
    );
    const value = { healed: r.done, nodes, ...(flips !== undefined ? { strobeFlips: flips } : {}) };
    return completeOp('reset-clock', value, r.errors);
  };

  return {
    fs: ['bump-clock', 'strobe-clock', 'reset-clock'],
    setup: async () => {},
    invoke: (op) =>
      serial(() => (op.f === 'bump-clock' ? bump(op) : op.f === 'strobe-clock' ? startStrobe(op) : reset())),
    teardown: healingTeardown(serial, () => offsets.size > 0 || strobe !== undefined, reset, 'clock'),
  };
}
