/**
 * Single-register workloads: `register` (reads and writes of one object) and `cas-register`
 * (plus compare-and-set). Values are small integers so a read can be judged.
 */
import {
  mix,
  repeat,
  sequence,
  stagger,
  nextInt,
  type GenOp,
  type Generator,
  type OpSource,
} from './generator/index.js';
import type { Workload, WorkloadOptions } from './workload.js';

/** Values are drawn from 0..VALUES-1: few enough that reads often see a recent write. */
export const VALUES = 5;

/** A read: `value` null on invoke. */
export const readOp: OpSource = (rng) => [{ f: 'read', value: null }, rng];

/** A write of a random small integer. */
export const writeOp: OpSource = (rng) => {
  const [v, next] = nextInt(rng, VALUES);
  return [{ f: 'write', value: v }, next];
};

/** A compare-and-set `[expected, new]` of random small integers. */
export const casOp: OpSource = (rng) => {
  const [a, r1] = nextInt(rng, VALUES);
  const [b, r2] = nextInt(r1, VALUES);
  return [{ f: 'cas', value: [a, b] }, r2];
};

/** An endless mix of reads and writes (and cas when `withCas`), seeded. */
export function registerOps(seed: number, withCas: boolean): Generator {
  const sources = withCas ? [readOp, writeOp, casOp] : [readOp, writeOp];
  return mix(
    sources.map((s, i) => repeat(s, seed * 31 + i + 1)),
    seed,
  );
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
