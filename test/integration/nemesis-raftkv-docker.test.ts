/** The nemesis against a real raftkv cluster in Docker containers: kills keep data, leader isolation elects anew. */
import { DockerRuntime } from '../../cluster/runtime/docker/index.js';
import { defineRaftkvNemesisSuite } from '../nemesis/helpers/raftkv-suite.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
defineRaftkvNemesisSuite('docker', async () => new DockerRuntime());
