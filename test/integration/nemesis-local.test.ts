/**
 * Faults injected for real into local nodes, each a set of processes in its own network
 * namespace: partitions, packet loss, pauses, kills and clock skew, each seen from outside, and
 * nothing left behind afterwards.
 */
import { LocalRuntime } from '../../cluster/runtime/local/index.js';
import { defineNemesisSuite } from '../nemesis/helpers/nemesis-suite.js';

defineNemesisSuite('local', async () => new LocalRuntime());
