/**
 * How the report draws each kind of fault: its colour, its legend label and the row of its label
 * on the timeline. Keyed by the nemesis's own fault names, so a fault kind added to the nemesis
 * does not compile until it has a style here; the page script reads this table from the report's
 * data and has none of its own.
 */
import type { FaultName } from '../../nemesis/index.js';

/** The look of one fault kind. */
export interface FaultStyle {
  /** What the legend and the band's label call it. */
  label: string;
  /** Translucent fill for the band on the timeline and the plots, and the legend's swatch. */
  color: string;
  /** Label row above the timeline: kinds that often overlap (a partition during a kill) use different rows. */
  row: number;
}

/** The style of every fault kind the nemesis can inject. */
export const FAULT_STYLES: Readonly<Record<FaultName, FaultStyle>> = {
  partition: { label: 'partition', color: 'rgba(103, 58, 183, 0.13)', row: 0 },
  kill: { label: 'kill', color: 'rgba(198, 40, 40, 0.12)', row: 1 },
  pause: { label: 'pause', color: 'rgba(21, 101, 192, 0.13)', row: 0 },
  clock: { label: 'clock', color: 'rgba(0, 137, 123, 0.13)', row: 1 },
  packet: { label: 'packet-loss', color: 'rgba(249, 168, 37, 0.18)', row: 2 },
  'packet-delay': { label: 'packet-delay', color: 'rgba(121, 85, 72, 0.15)', row: 3 },
  'figure-8': { label: 'figure-8', color: 'rgba(216, 27, 96, 0.12)', row: 2 },
};
