/**
 * `splitbrain test --db maelstrom --runtime ssh` on test hosts (network namespaces running sshd):
 * the relay is copied in the project's bundle and the node program, copied into each node's
 * folder on its host, runs under partitions, kills and pauses; nothing is left on the hosts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshHostsSnapshot, sshHostsUnavailableReason, startSshHosts, type SshHosts } from '../fixtures/ssh-hosts.js';
import {
  ROOT,
  build,
  faultKinds,
  latestRun,
  processesOfRun,
  readHistory,
  runIdOf,
  splitbrain,
} from './test-command-helpers.js';

const reason = await sshHostsUnavailableReason();
const NODE = path.join(ROOT, 'test', 'fixtures', 'maelstrom', 'lin-kv-node.mjs');

describe.skipIf(reason !== undefined)(
  `splitbrain test --db maelstrom --runtime ssh${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    let hosts: SshHosts;
    let before: Record<string, string[]>;

    beforeAll(async () => {
      build();
      hosts = await startSshHosts(3);
      before = await sshHostsSnapshot(hosts);
    }, 180_000);
    afterAll(async () => {
      await hosts?.stop();
    });

    it('runs the lin-kv test node on 3 hosts under partitions, kills and pauses, valid, and leaves the hosts as they were', async () => {
      const store = path.join(hosts.dir, 'store');
      const file = path.join(hosts.dir, 'hosts');
      await writeFile(file, hosts.addresses.map((a) => `root@${a}`).join('\n') + '\n');
      const r = await splitbrain([
        'test',
        '--runtime',
        'ssh',
        '--hosts-file',
        file,
        '--ssh-key',
        hosts.keyFile,
        '--ssh-known-hosts',
        hosts.knownHostsFile,
        '--db',
        'maelstrom',
        '--bin',
        NODE,
        '--nemesis',
        'partition,kill,pause',
        '--nemesis-interval',
        '2',
        '--time-limit',
        '15',
        '--store',
        store,
        '--name',
        'maelstrom-ssh',
      ]);
      expect(r.exitCode, r.all).toBe(0);
      expect([...faultKinds(readHistory(latestRun(store, 'maelstrom-ssh')))].sort()).toEqual([
        'kill',
        'partition',
        'pause',
      ]);
      // Other SSH runs on this machine share the hosts' filesystem and process table: only ours count.
      const runId = runIdOf(latestRun(store, 'maelstrom-ssh'));
      const after = await sshHostsSnapshot(hosts);
      for (const [what, lines] of Object.entries(after)) {
        if (what.startsWith('iptables')) expect(lines, what).toEqual(before[what]);
        else
          expect(
            lines.filter((l) => l.includes(runId)),
            what,
          ).toEqual([]);
      }
      expect(processesOfRun(runId)).toEqual([]);
    }, 300_000);
  },
);
