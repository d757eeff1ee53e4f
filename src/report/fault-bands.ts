/**
 * The bands a report shades: when each kind of fault was (or may have been) in force. The fault
 * kinds and the `f` names that start and heal them are the nemesis's vocabulary (nemesis/faults.ts);
 * the report only draws them.
 */
import { classifyF, type FaultName } from '../../nemesis/index.js';
import type { HistoryEvent } from '../history/index.js';

/** One interval during which a fault was (or may have been) in force. */
export interface FaultBand {
  kind: FaultName;
  /** Time (ns) of the first nemesis event that began it. */
  start: number;
  /** Time (ns) the healing event completed, or null when it was never healed in the history. */
  end: number | null;
  /** The nemesis events of this band, in order, for the tooltip. */
  events: HistoryEvent[];
}

/**
 * Turns nemesis events into bands, one open band per kind at a time. Unlike the nemesis summary's
 * windows (which start at the first start that bit, to say whether a fault did anything), a band
 * starts at the invoke of the fault (it may bite from then on) and ends when its healing op
 * completes (it may bite until then): a person reading a counterexample should see every moment a
 * fault might explain. A second fault of an open kind (killing another node) joins the open band.
 */
export function computeFaultBands(events: readonly HistoryEvent[]): FaultBand[] {
  const bands: FaultBand[] = [];
  const open = new Map<FaultName, { band: FaultBand; healing: boolean }>();
  for (const e of events) {
    if (e.process !== 'nemesis') continue;
    const fault = classifyF(e.f);
    if (!fault) continue;
    const current = open.get(fault.fault);
    if (fault.phase === 'start') {
      if (current && !current.healing) {
        current.band.events.push(e);
        continue;
      }
      if (current) open.delete(fault.fault);
      const band: FaultBand = { kind: fault.fault, start: e.time, end: null, events: [e] };
      bands.push(band);
      open.set(fault.fault, { band, healing: false });
      continue;
    }
    if (!current) continue;
    current.band.end = e.time;
    current.band.events.push(e);
    if (e.type === 'invoke') current.healing = true;
    else open.delete(fault.fault);
  }
  return bands;
}
