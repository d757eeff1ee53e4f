/**
 * Simulated clients: each logical process runs one op at a time against the cluster (read,
 * write or cas on a few keys), retrying under the same request id, and records the history in
 * the spec's history form (SimEvent) with Jepsen's outcome rules: ok = took effect once; fail =
 * definitely did not; info = unknown (after which the client continues as a fresh process).
 */
import type { NodeId } from '../core/index.js';
import type { SimEvent } from './history.js';
import type { Rng } from './rng.js';
import type { SimReply, SimRequest } from './sim-node.js';

/** What clients need from the simulation. */
export interface ClientWorld {
  now(): number;
  after(delay: number, fn: () => void): void;
  nodeIds: NodeId[];
  /** Delivers a request to a node (over a client link); the reply comes back through `reply`. */
  request(node: NodeId, req: SimRequest, reply: (r: SimReply) => void): void;
  record(e: Omit<SimEvent, 'time' | 'index'>): void;
}

/** Client workload knobs. */
export interface ClientOptions {
  clients: number;
  keys: string[];
  /** Stop invoking new ops at this simulated time. */
  until: number;
  /** Per-attempt timeout (ms). */
  timeout: number;
  maxAttempts: number;
  /** Share of reads; the rest is split between write and cas. */
  readShare: number;
}

type Op =
  | { f: 'read'; key: string; value: null }
  | { f: 'write'; key: string; value: number }
  | { f: 'cas'; key: string; value: [unknown, number] };

/** Runs the client processes; call start() once. */
export class SimClients {
  private nextProcess: number;
  private counter = 0;
  private opSeq = 0;
  private readonly recent = new Map<string, unknown[]>();
  private inFlight = 0;

  constructor(
    private readonly world: ClientWorld,
    private readonly opts: ClientOptions,
    private readonly rng: Rng,
  ) {
    this.nextProcess = opts.clients;
  }

  /** Ops invoked and not yet completed. */
  get outstanding(): number {
    return this.inFlight;
  }

  start(): void {
    for (let p = 0; p < this.opts.clients; p++) {
      const process = p;
      this.world.after(this.rng.int(0, 20), () => this.loop(process, undefined));
    }
  }

  private genOp(): Op {
    const key = this.rng.pick(this.opts.keys);
    const x = this.rng.next();
    if (x < this.opts.readShare) return { f: 'read', key, value: null };
    if (x < this.opts.readShare + (1 - this.opts.readShare) / 2) return { f: 'write', key, value: ++this.counter };
    const seen = this.recent.get(key) ?? [];
    const expected = seen.length > 0 && this.rng.chance(0.85) ? this.rng.pick(seen) : null;
    return { f: 'cas', key, value: [expected, ++this.counter] };
  }

  private remember(key: string, v: unknown): void {
    const seen = this.recent.get(key) ?? [];
    seen.push(v);
    if (seen.length > 3) seen.shift();
    this.recent.set(key, seen);
  }

  private loop(process: number, leaderHint: NodeId | undefined): void {
    if (this.world.now() >= this.opts.until) return;
    const op = this.genOp();
    const requestId = `p${process}-${++this.opSeq}`;
    this.world.record({ type: 'invoke', process, f: op.f, key: op.key, value: op.value });
    this.inFlight++;
    let attempt = 0;
    let maybeApplied = false;
    let hint = leaderHint;
    let lastNode: NodeId | undefined;

    const finish = (type: 'ok' | 'fail' | 'info', value: unknown, error?: string): void => {
      this.inFlight--;
      const e: Omit<SimEvent, 'time' | 'index'> = { type, process, f: op.f, key: op.key };
      if (type === 'ok') e.value = value;
      else e.value = op.value;
      if (lastNode !== undefined) e.node = lastNode;
      if (error !== undefined) e.error = error;
      this.world.record(e);
      if (type === 'ok' && op.f !== 'cas') this.remember(op.key, value);
      if (type === 'ok' && op.f === 'cas') this.remember(op.key, op.value[1]);
      // A process whose op ended info never invokes again (spec): continue as a fresh one.
      const next = type === 'info' ? this.nextProcess++ : process;
      this.world.after(this.rng.int(0, 15), () => this.loop(next, hint));
    };

    const tryOnce = (): void => {
      attempt++;
      const node = hint !== undefined && this.rng.chance(0.9) ? hint : this.rng.pick(this.world.nodeIds);
      lastNode = node;
      const attemptId = `${requestId}.${attempt}`;
      let done = false;
      const req: SimRequest = { f: op.f, key: op.key, requestId, attemptId };
      if (op.f !== 'read') req.value = op.value;
      this.world.request(node, req, (r) => {
        if (done) return;
        done = true;
        switch (r.kind) {
          case 'ok':
            hint = node;
            finish('ok', op.f === 'cas' ? op.value : r.value);
            return;
          case 'fail':
            // A cas mismatch is the state machine's answer for this request id: it had no effect.
            finish('fail', undefined, r.error);
            return;
          case 'not-leader':
            hint = r.lead === '' ? undefined : r.lead;
            if (attempt < this.opts.maxAttempts) this.world.after(r.lead === '' ? 20 : 1, tryOnce);
            else if (maybeApplied) finish('info', undefined, 'timeout');
            else finish('fail', undefined, 'not-leader');
        }
      });
      this.world.after(this.opts.timeout, () => {
        if (done) return;
        done = true;
        hint = undefined;
        if (op.f !== 'read') maybeApplied = true;
        if (attempt < this.opts.maxAttempts) tryOnce();
        else if (op.f === 'read') finish('fail', undefined, 'timeout');
        else finish('info', undefined, 'timeout');
      });
    };
    tryOnce();
  }
}
