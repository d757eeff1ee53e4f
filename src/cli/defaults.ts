/**
 * Defaults that more than one command offers, kept in one place so `test` and `cluster up` agree.
 */
import { RUNTIME_NAMES } from '../../cluster/runtime/index.js';

/** Where nodes run: `auto` picks docker when an engine answers and can run nodes, else local. */
export const RUNTIME_CHOICES = ['auto', ...RUNTIME_NAMES] as const;

/** Cluster size when `--nodes` is absent (and not `--runtime ssh`, where it is the host count). */
export const DEFAULT_NODES = 5;
