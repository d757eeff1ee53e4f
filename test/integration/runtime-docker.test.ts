/** The Docker runtime against the runtime contract, for real: containers on an internal bridge. */
import { describe } from 'vitest';
import { DockerRuntime } from '../../cluster/runtime/index.js';
import { runtimeContract } from './runtime-contract.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
const reason = await new DockerRuntime().unavailableReason();

describe.skipIf(reason !== undefined)(`docker runtime${reason ? ` (skipped: ${reason})` : ''}`, () => {
  runtimeContract('a 3-node Docker cluster', () => new DockerRuntime(), { isolated: true });
});
