/** The local runtime against the runtime contract: namespaces when root, and shared loopback. */
import { describe, expect, it } from 'vitest';
import { LocalRuntime, newRunId } from '../../cluster/runtime/index.js';
import { namespaceUnavailableReason } from '../../cluster/runtime/local/local-runtime.js';
import { runtimeContract } from './runtime-contract.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const nsReason = await namespaceUnavailableReason();

describe.skipIf(nsReason !== undefined)(
  `local runtime with namespaces${nsReason ? ` (skipped: ${nsReason})` : ''}`,
  () => {
    runtimeContract('a 3-node cluster of namespaced processes', () => new LocalRuntime(), { isolated: true });
  },
);

describe('local runtime on shared loopback', () => {
  runtimeContract(
    'a 3-node cluster of processes on 127.x addresses',
    () => new LocalRuntime({ isolation: 'loopback' }),
    {
      isolated: false,
    },
  );

  it('says up front that iptables faults are unavailable, why, and what to do', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'sb-runtime-test-'));
    const cluster = await new LocalRuntime({ isolation: 'loopback' }).start({
      runId: newRunId(),
      nodes: ['n1'],
      logDir,
    });
    try {
      expect(cluster.capabilities.iptables).toBe(false);
      expect(cluster.capabilities.reasons.join('\n')).toMatch(
        /network namespace per node.*run as root.*--runtime docker/,
      );
      expect(cluster.nodes[0]!.address).toMatch(/^127\./);
    } finally {
      await cluster.teardown();
      await rm(logDir, { recursive: true, force: true });
    }
  });
});
