/**
 * Single-register workloads: `register` (reads and writes of one object) and `cas-register`
 * (plus compare-and-set), and the per-key ops of `kv`. Every write puts a value never written
 * before to that register, so a stale read names the exact write it saw and cannot pass for a
 * newer one; a cas expects a value recently read or written, so it usually can succeed.
 */
import {
  nextRandom,
  sequence,
  stagger,
  type GenEvent,
  type GenOp,
  type Generator,
  type GenResult,
  type RandomState,
} from './generator/index.js';
import type { Workload, WorkloadOptions } from './workload.js';

/** Share of reads among the ops (the rest split between writes and, with cas, cas). */
export const READ_SHARE = 0.5;

/** How many recently seen values a cas draws its expected value from. */
export const RECENT_VALUES = 4;

interface RegisterState {
  rng: RandomState;
  /** The next value to write: values count up from 1, so each is written once. */
  nextValue: number;
  /** Values recently read or written (ok), newest last; a cas expects one of them. */
  recent: readonly unknown[];
}

/** An endless mix of reads and writes (and cas when `withCas`) on one register, seeded. */
export function registerOps(seed: number, withCas: boolean): Generator {
  let rng = (seed * 2654435761) >>> 0;
  [, rng] = nextRandom(rng);
  return registerFrom(withCas, { rng, nextValue: 1, recent: [] });
}

function registerFrom(withCas: boolean, s: RegisterState): Generator {
  return {
    op(ctx): GenResult {
      if (ctx.free.length === 0) return 'pending';
      const [u, r1] = nextRandom(s.rng);
      const [pickU, r2] = nextRandom(r1);
      let op: GenOp;
      let nextValue = s.nextValue;
      if (u < READ_SHARE) op = { f: 'read', value: null };
      else if (!withCas || u < READ_SHARE + (1 - READ_SHARE) / 2) op = { f: 'write', value: nextValue++ };
      else {
        const expected = s.recent.length > 0 ? s.recent[Math.floor(pickU * s.recent.length)] : null;
        op = { f: 'cas', value: [expected, nextValue++] };
      }
      return { op, next: registerFrom(withCas, { rng: r2, nextValue, recent: s.recent }) };
    },
    update(_ctx, event: GenEvent): Generator {
      if (event.type !== 'ok') return this;
      const seen = event.f === 'cas' ? (event.value as [unknown, unknown] | undefined)?.[1] : event.value;
      if (seen === undefined || (event.f !== 'read' && event.f !== 'write' && event.f !== 'cas')) return this;
      const recent = [...s.recent.filter((v) => v !== seen), seen].slice(-RECENT_VALUES);
      return registerFrom(withCas, { ...s, recent });
    },
  };
}

/** Wraps a generator in `stagger` when a finite positive rate is asked for. */
export function atRate(gen: Generator, rate: number, seed: number): Generator {
  return rate > 0 && Number.isFinite(rate) ? stagger(1e9 / rate, gen, seed ^ 0x5bd1e995) : gen;
}

/** The `register` workload: one object, reads and writes, model `register`. */
export function registerWorkload(opts: WorkloadOptions): Workload {
  return singleRegister('register', opts);
}

/** The `cas-register` workload: one object, reads, writes and cas, model `cas-register`. */
export function casRegisterWorkload(opts: WorkloadOptions): Workload {
  return singleRegister('cas-register', opts);
}

function singleRegister(name: 'register' | 'cas-register', opts: WorkloadOptions): Workload {
  return {
    name,
    model: name,
    keyed: false,
    generator: () => atRate(registerOps(opts.seed, name === 'cas-register'), opts.rate, opts.seed),
    finalGenerator: () => sequence([{ f: 'read', value: null } satisfies GenOp]),
  };
}
