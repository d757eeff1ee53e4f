import type { HistoryEvent } from '../history/index.js';

/** The kinds of fault the report shades, one colour each. */
export type FaultKind = 'partition' | 'kill' | 'pause' | 'clock' | 'packet-loss';

/** One interval during which a fault was (or may have been) in force. */
export interface FaultWindow {
  kind: FaultKind;
  /** Time (ns) of the first nemesis event that began it. */
  start: number;
  /** Time (ns) the healing event completed, or null when it was never healed in the history. */
  end: number | null;
  /** The nemesis events of this window, in order, for the tooltip. */
  events: HistoryEvent[];
}

/** Nemesis `f` names, the kind of fault each one begins or ends. */
const FAULT_FS: Record<string, { kind: FaultKind; begins: boolean }> = {
  'start-partition': { kind: 'partition', begins: true },
  'stop-partition': { kind: 'partition', begins: false },
  kill: { kind: 'kill', begins: true },
  start: { kind: 'kill', begins: false },
  pause: { kind: 'pause', begins: true },
  resume: { kind: 'pause', begins: false },
  'bump-clock': { kind: 'clock', begins: true },
  'strobe-clock': { kind: 'clock', begins: true },
  'reset-clock': { kind: 'clock', begins: false },
  'start-packet-loss': { kind: 'packet-loss', begins: true },
  'stop-packet-loss': { kind: 'packet-loss', begins: false },
};

/**
 * Turns nemesis events into fault windows, one open window per kind at a time. A window starts
 * at the invoke of the fault (the fault may bite from then on) and ends when its healing op
 * completes (it may bite until then), so the band errs on the side of covering too much. A
 * second fault of an open kind (killing another node) joins the open window.
 */
export function computeFaultWindows(events: readonly HistoryEvent[]): FaultWindow[] {
  const windows: FaultWindow[] = [];
  const open = new Map<FaultKind, { window: FaultWindow; healing: boolean }>();
  for (const e of events) {
    if (e.process !== 'nemesis') continue;
    const fault = FAULT_FS[e.f];
    if (!fault) continue;
    const current = open.get(fault.kind);
    if (fault.begins) {
      if (current && !current.healing) {
        current.window.events.push(e);
        continue;
      }
      if (current) open.delete(fault.kind);
      const window: FaultWindow = { kind: fault.kind, start: e.time, end: null, events: [e] };
      windows.push(window);
      open.set(fault.kind, { window, healing: false });
      continue;
    }
    if (!current) continue;
    current.window.end = e.time;
    current.window.events.push(e);
    if (e.type === 'invoke') current.healing = true;
    else open.delete(fault.kind);
  }
  return windows;
}
