/**
 * The fault kinds `--nemesis` names, the op names (`f`) each one writes into the history, and
 * the parsing of the option itself.
 */

/** Every fault kind: those `all` names, in its order, then the moves that are only run by name. */
export const FAULTS = ['partition', 'kill', 'pause', 'clock', 'packet', 'packet-delay', 'figure-8'] as const;

export type FaultName = (typeof FAULTS)[number];

/**
 * Kinds `all` leaves out: figure-8 needs the cluster to itself for seconds at a time and a DB that
 * reports its Raft state, so it is asked for by name (`--nemesis figure-8`).
 */
const BY_NAME_ONLY: readonly FaultName[] = ['figure-8'];

/** The kinds `all` names. */
export const ALL_FAULTS: readonly FaultName[] = FAULTS.filter((f) => !BY_NAME_ONLY.includes(f));

/** The `f` values a fault writes when it starts (one or more shapes) and when it ends. */
export const FAULT_FS: Readonly<Record<FaultName, { start: readonly string[]; stop: string }>> = {
  partition: { start: ['start-partition'], stop: 'stop-partition' },
  kill: { start: ['kill'], stop: 'start' },
  pause: { start: ['pause'], stop: 'resume' },
  clock: { start: ['bump-clock', 'strobe-clock'], stop: 'reset-clock' },
  packet: { start: ['start-packet-loss'], stop: 'stop-packet-loss' },
  'packet-delay': { start: ['start-packet-delay'], stop: 'stop-packet-delay' },
  'figure-8': { start: ['start-figure-8'], stop: 'stop-figure-8' },
};

/** Which fault an op name belongs to, and whether it starts or ends it; undefined for other names. */
export function classifyF(f: string): { fault: FaultName; phase: 'start' | 'stop' } | undefined {
  for (const fault of FAULTS) {
    const fs = FAULT_FS[fault];
    if (fs.start.includes(f)) return { fault, phase: 'start' };
    if (fs.stop === f) return { fault, phase: 'stop' };
  }
  return undefined;
}

/** A parsed `--nemesis` value: the faults named, and whether the user said `all`. */
export interface NemesisRequest {
  faults: FaultName[];
  /** True for `all`: faults that cannot be injected here are skipped (with reasons) instead of refused. */
  all: boolean;
}

/**
 * Parses `--nemesis`: a comma list of fault names, `all`, or `none` / empty. Throws an error
 * naming the option, the bad value and the valid choices.
 */
export function parseNemesisOption(value: string | readonly string[] | undefined): NemesisRequest {
  const text: string = typeof value === 'string' ? value : (value ?? []).join(',');
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none');
  const all = items.includes('all');
  const faults: FaultName[] = all ? [...ALL_FAULTS] : [];
  for (const item of items) {
    if (item === 'all') continue;
    if (!(FAULTS as readonly string[]).includes(item)) {
      throw new Error(`--nemesis: unknown fault "${item}"; choose from ${[...FAULTS, 'all', 'none'].join(', ')}`);
    }
    if (!faults.includes(item as FaultName)) faults.push(item as FaultName);
  }
  return { faults, all };
}
