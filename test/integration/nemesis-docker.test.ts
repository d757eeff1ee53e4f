/**
 * Faults injected for real into Docker containers: partitions, packet loss, pauses, kills and
 * clock skew, each seen from outside, and nothing left behind afterwards.
 */
import { DockerRuntime } from '../../cluster/runtime/docker/index.js';
import { defineNemesisSuite } from '../nemesis/helpers/nemesis-suite.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
defineNemesisSuite('docker', async () => new DockerRuntime());
