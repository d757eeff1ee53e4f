/**
 * The Raft paper's figure 8 (§5.4.2) played on a live cluster, one move per `start-figure-8`:
 *
 * 1. The leader L and a companion are cut off while clients still write to L, so they hold
 *    entries of L's term that no majority has. The other side elects M; two of its three nodes
 *    hear the others through lossy links (inbound only, so their votes still go out), so M's
 *    first entry of its term is often late to one of them, A.
 * 2. The moment M leads while A lacks that entry, A moves to L's side, which re-elects L or its
 *    companion (W) with A's vote. W sends A the old entries A lacks, ahead of its own first entry.
 * 3. Once A holds an old entry past M's first, W heard A take M's first position: a W that
 *    commits old entries by counting replicas has then committed it while its own first entry is
 *    not. A is stopped with SIGSTOP (one signal, quicker than any rule) and moved back. A correct
 *    Raft commits only entries of its own term by counting, so nothing it committed is at stake.
 * 4. M's side, with A, elects a leader whose log outranks A's and overwrites the entries W
 *    called committed. Healed, the nodes that committed them meet a leader whose log
 *    contradicts them; raftkv's followers stop on that (Log Matching), and the run fails.
 *
 * The race in step 3 is won only when W sends A one old entry per round trip: raftkv with
 * `--max-entries-per-msg 1 --max-inflight-msgs 1`. Every step is timed by the nodes' own
 * reports (`RaftStatusAware`), polled every few milliseconds; the history's op value lists each
 * step with its time from the move's start and how the move ended.
 */
import { isPausable, type Db, type RaftNodeStatus, type RaftStatusAware } from '../cluster/db/index.js';
import type { StartedCluster } from '../cluster/runtime/index.js';
import { completeGrudge, describeGrudge, majority } from './grudge.js';
import { FIGURE8_CHAIN, FIGURE8_LOSS_CHAIN } from './iptables.js';
import { applyGrudge, applyPacketLoss, linkFaultLayer } from './link-layer.js';
import { defaultSleep } from './leader.js';
import {
  completeOp,
  createSerializer,
  healingTeardown,
  type CompletedNemesisOp,
  type Nemesis,
  type NemesisOp,
} from './nemesis.js';

/** The plan a `start-figure-8` op carries; the schedule draws it, so a seed replays the choices. */
export interface Figure8Plan {
  /** Drop probability of what reaches the lossy nodes of M's side, in (0, 1); half of it, at least 0.3, in step 2. */
  probability: number;
  /** Two draws in [0, 1): the first picks L's companions, the second the node of M's side with clean links. */
  draws: readonly [number, number];
}

/** What the figure-8 nemesis needs. */
export interface Figure8NemesisOptions {
  cluster: StartedCluster;
  db: Db & RaftStatusAware;
  /** Milliseconds between two polls of every node's status. Default 10. */
  pollMs?: number;
  /** Milliseconds each step may wait for an election or a commit. Default 8000. */
  stepTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Why a cluster cannot play figure 8, or undefined: it needs an odd number of nodes, five or more. */
export function figure8ClusterProblem(nodes: number): string | undefined {
  return nodes >= 5 && nodes % 2 === 1
    ? undefined
    : `figure 8 needs an odd cluster of 5 or more nodes (L's side a largest minority, one voter to move), not ${nodes}`;
}

type Statuses = Record<string, RaftNodeStatus | undefined>;

/** Milliseconds between polls of W while waiting for its commit: it moves one entry per round trip. */
const STRIKE_POLL_MS = 2;

/** Picks `k` of `xs` by a draw in [0, 1), deterministically (a rotation of the sorted list). */
function pickByDraw(xs: readonly string[], k: number, draw: number): string[] {
  const sorted = [...xs].sort();
  const start = Math.floor(draw * sorted.length) % Math.max(1, sorted.length);
  return [...sorted.slice(start), ...sorted.slice(0, start)].slice(0, k).sort();
}

/** Makes the nemesis that handles `start-figure-8` and `stop-figure-8`. */
export function createFigure8Nemesis(opts: Figure8NemesisOptions): Nemesis {
  const { cluster, db } = opts;
  const pollMs = opts.pollMs ?? 10;
  const stepTimeoutMs = opts.stepTimeoutMs ?? 8000;
  const sleep = opts.sleep ?? defaultSleep;
  const cut = linkFaultLayer(cluster, FIGURE8_CHAIN, 'figure-8');
  const loss = linkFaultLayer(cluster, FIGURE8_LOSS_CHAIN, 'figure-8-loss');
  const serial = createSerializer();
  const names = cluster.nodes.map((n) => n.name).sort();
  const addresses = Object.fromEntries(cluster.nodes.map((n) => [n.name, n.address]));

  // A leader appends its first entry as it takes office, so that entry's index is one past the
  // log it was last seen with while not leading.
  const lastNotLeading = new Map<string, number>();
  const statuses = async (of: readonly string[]): Promise<Statuses> => {
    const out: Statuses = {};
    await Promise.all(
      of.map(async (name) => {
        const s = await db.raftStatus(cluster.node(name)).catch(() => undefined);
        out[name] = s;
        if (s !== undefined && s.role !== 'leader') lastNotLeading.set(name, s.lastIndex);
      }),
    );
    return out;
  };
  const firstEntryOf = (leader: string): number => (lastNotLeading.get(leader) ?? Infinity) + 1;

  /** Polls `of` until `found` returns a value, or the step times out (undefined). */
  const pollUntil = async <T>(
    of: readonly string[],
    everyMs: number,
    found: (s: Statuses) => T | undefined,
  ): Promise<T | undefined> => {
    const deadline = Date.now() + stepTimeoutMs;
    while (Date.now() < deadline) {
      const hit = found(await statuses(of));
      if (hit !== undefined) return hit;
      await sleep(everyMs);
    }
    return undefined;
  };

  const leaderAmong = (s: Statuses, of: readonly string[], aboveTerm: number): string | undefined =>
    of.find((n) => s[n]?.role === 'leader' && s[n]!.term > aboveTerm);

  const healAll = async (): Promise<{ healed: number; errors: string[] }> => {
    const a = cut.inForce ? await cut.heal() : { count: 0, errors: [] };
    const b = loss.inForce ? await loss.heal() : { count: 0, errors: [] };
    return { healed: a.count + b.count, errors: [...a.errors, ...b.errors] };
  };

  const start = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as Figure8Plan;
    const problem = figure8ClusterProblem(names.length);
    if (problem !== undefined) return { f: op.f, value: { injected: 0, skipped: problem } };
    const began = Date.now();
    const steps: string[] = [];
    const note = (line: string): void => {
      steps.push(`${((Date.now() - began) / 1000).toFixed(2)} s: ${line}`);
    };
    const errors: string[] = [];
    let injected = 0;
    const apply = async (
      groups: readonly (readonly string[])[],
      lossy: readonly string[],
      probability = plan.probability,
    ): Promise<void> => {
      const grudge = completeGrudge(groups);
      const r = await applyGrudge(cut, grudge, addresses);
      injected += r.count;
      errors.push(...r.errors);
      if (lossy.length > 0) {
        const l = await applyPacketLoss(loss, lossy, addresses, probability, { inboundOnly: true });
        injected += l.count;
        errors.push(...l.errors);
      } else if (loss.inForce) {
        errors.push(...(await loss.heal()).errors);
      }
      note(`${describeGrudge(grudge)}${lossy.length > 0 ? `; loss ${probability} into ${lossy.join(',')}` : ''}`);
    };
    const value: Record<string, unknown> = {};
    const finish = async (outcome: string): Promise<CompletedNemesisOp> => {
      const h = await healAll();
      errors.push(...h.errors);
      note(`healed (${outcome})`);
      return completeOp(op.f, { injected, ...value, outcome, steps }, errors);
    };

    const before = await statuses(names);
    const leader = leaderAmong(before, names, -1);
    if (leader === undefined) return { f: op.f, value: { injected: 0, skipped: 'no node reports itself leader' } };
    const t0 = before[leader]!.term;
    const oldSide = [
      leader,
      ...pickByDraw(
        names.filter((n) => n !== leader),
        names.length - majority(names.length) - 1,
        plan.draws[0],
      ),
    ].sort();
    const newSide = names.filter((n) => !oldSide.includes(n));
    // All but one of that side hear the others through lossy links: whoever of them wins, M's
    // first entry has a lossy way to go to at least one voter.
    const [clean] = pickByDraw(newSide, 1, plan.draws[1]);
    const lossy = newSide.filter((n) => n !== clean);
    value.leader = leader;
    value.oldSide = oldSide;

    // 1. L's side keeps taking writes it cannot commit; the other side elects M, slowly reaching A.
    await apply([oldSide, newSide], lossy);
    const cutOff = await statuses(names);
    const committed = Math.max(...names.map((n) => cutOff[n]?.commit ?? 0));
    value.committedAtCut = committed;
    note(
      `cut at commit ${committed}; ${leader} holds ${(cutOff[leader]?.lastIndex ?? 0) - committed} entries beyond it`,
    );
    const m = await pollUntil(newSide, pollMs, (s) => {
      const id = leaderAmong(s, newSide, t0);
      return id === undefined ? undefined : { id, s };
    });
    if (m === undefined) return finish(`no leader on ${newSide.join(',')} within ${stepTimeoutMs} ms`);
    const firstOfM = firstEntryOf(m.id);
    const without = newSide.filter((n) => n !== m.id && (m.s[n]?.lastIndex ?? Infinity) < firstOfM);
    // W's first append to A carries the entry after A's last; only an entry at or past M's first
    // is one M's side will overwrite, so A is best when it holds everything before M's first entry.
    const ready = without.filter((n) => m.s[n]!.lastIndex === firstOfM - 1);
    value.newLeader = m.id;
    note(
      `${m.id} leads term ${m.s[m.id]!.term}; its first entry ${firstOfM} missing on ${without.join(',') || 'none'}`,
    );
    if (without.length === 0) return finish(`${m.id}'s first entry reached every voter`);

    // 2. A voter without M's first entry (A, if it is one) joins L's side, which elects W (L or its companion).
    const choices = ready.length > 0 ? ready : without;
    const moved = choices[0]!;
    value.moved = moved;
    note(`${moved} (last index ${m.s[moved]!.lastIndex}) joins ${oldSide.join(',')}`);
    // Lighter loss now: W must keep A's votes and answers long enough to send it entries one by one.
    await apply(
      [[...oldSide, moved], newSide.filter((n) => n !== moved)],
      [moved],
      Math.max(0.3, plan.probability / 2),
    );
    const wSide = [...oldSide, moved];
    const w = await pollUntil(wSide, pollMs, (s) => {
      const id = leaderAmong(s, oldSide, m.s[m.id]!.term);
      if (id === undefined) return undefined;
      return { id, term: s[id]!.term };
    });
    if (w === undefined) return finish(`no leader on ${wSide.join(',')} within ${stepTimeoutMs} ms`);
    const firstOfW = firstEntryOf(w.id);
    value.reelected = w.id;
    note(`${w.id} leads term ${w.term}; its first entry is ${firstOfW}`);

    // 3. Strike once A holds an old entry past M's first. With one append in flight W sent it
    // only after hearing A take M's first: a W that counts replicas of old entries has then
    // committed up to M's first (its commit shows it, or will within a round trip); a correct
    // W has not, and the strike does it no harm.
    let commitSeen = 0;
    let movedLast = 0;
    const struck = await pollUntil([w.id, moved], STRIKE_POLL_MS, (s) => {
      const now = s[w.id];
      if (now === undefined) return undefined;
      commitSeen = now.commit;
      movedLast = s[moved]?.lastIndex ?? 0;
      if (now.role !== 'leader' || now.term !== w.term) return 'lost';
      if (now.commit >= firstOfW) return 'own';
      return now.commit >= firstOfM || (movedLast > firstOfM && movedLast < firstOfW) ? 'old' : undefined;
    });
    if (struck !== 'old')
      return finish(
        struck === 'own'
          ? `${w.id} committed its own first entry (commit ${commitSeen}): old entries came with it`
          : struck === 'lost'
            ? `${w.id} lost its leadership before committing`
            : `${w.id} did not commit ${firstOfM} within ${stepTimeoutMs} ms`,
      );
    // W's next append may be on its way to A. Stopping A (one signal) is quicker than any rule
    // change; what reaches A's socket meanwhile waits unread, and the cut below ends the stream.
    const stopped = isPausable(db);
    if (stopped) await db.pause(cluster.node(moved));
    else errors.push(...(await applyPacketLoss(loss, [moved], addresses, 1)).errors);
    note(
      commitSeen >= firstOfM
        ? `${w.id} counted entries of term ${t0} from ${firstOfM} as committed (its commit: ${commitSeen}) before its own first entry; ${moved} ${stopped ? 'stopped' : 'cut off'}`
        : `${moved} holds old entries up to ${movedLast}, ${w.id}'s commit is ${commitSeen}; ${moved} ${stopped ? 'stopped' : 'cut off'}`,
    );
    await apply([oldSide, newSide], []);
    if (stopped) await db.resume(cluster.node(moved));
    const after = await statuses([moved]);
    note(
      `${moved} moved back and ${stopped ? 'continued' : 'reconnected'} at last index ${after[moved]?.lastIndex ?? '?'}`,
    );

    // 4. M's side elects a leader whose log outranks A's: it overwrites the old entries, which a
    // W that counted replicas of them had called committed.
    const n2 = await pollUntil(newSide, pollMs, (s) => {
      const id = leaderAmong(s, newSide, w.term);
      return id === undefined ? undefined : { id, term: s[id]!.term };
    });
    value.overwriter = n2?.id;
    return finish(
      n2 === undefined
        ? `${newSide.join(',')} elected no leader within ${stepTimeoutMs} ms`
        : `${n2.id} leads term ${n2.term} over ${moved}'s old entries`,
    );
  };

  const stop = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const nodes = [...new Set([...cut.nodes(), ...loss.nodes()])].sort();
    const h = await healAll();
    return completeOp(op.f, { healed: h.healed, nodes }, h.errors);
  };

  return {
    fs: ['start-figure-8', 'stop-figure-8'],
    setup: () =>
      serial(async () => {
        await cut.sweepLeftovers();
        await loss.sweepLeftovers();
      }),
    invoke: (op) => serial(() => (op.f === 'start-figure-8' ? start(op) : stop(op))),
    teardown: healingTeardown(
      serial,
      () => cut.inForce || loss.inForce,
      () => stop({ f: 'stop-figure-8' }),
      'figure-8',
    ),
  };
}
