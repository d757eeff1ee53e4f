/**
 * `splitbrain test --runtime ssh` end to end on test hosts (network namespaces running sshd):
 * a 30 s raftkv run with partitions, kills, pauses and clock skew on 5 hosts is valid, and
 * leaves no process, rule or file on any host; a host that refuses, times out or lacks a tool
 * ends the run with exit 3 and one line naming it, leaving nothing on the hosts that did start;
 * a malformed hosts file is a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSnapshot, ignoreOtherRuns, type HostSnapshot } from '../../cluster/runtime/host-snapshot.js';
import { sshHostsSnapshot, sshHostsUnavailableReason, startSshHosts, type SshHosts } from '../fixtures/ssh-hosts.js';
import { build, faultKinds, latestRun, readHistory, readResults, splitbrain } from './test-command-helpers.js';

const reason = await sshHostsUnavailableReason();

// Hosts 1-5 are sound; 6 refuses connections, 7 drops them (time-out), 8 has no usable node,
// 9 no setsid.
const FAULTY = {
  5: { refuse: true },
  6: { silent: true },
  7: { hide: ['/usr/bin/node'] },
  8: { hide: ['/usr/bin/setsid'] },
};

describe.skipIf(reason !== undefined)(`splitbrain test --runtime ssh${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let hosts: SshHosts;
  let hostsBefore: Record<string, string[]>;
  let localBefore: HostSnapshot;
  let ignore: (line: string) => boolean;

  /** Writes a hosts file listing the given hosts (by index) and returns its path. */
  const hostsFile = async (name: string, indexes: number[]): Promise<string> => {
    const file = path.join(hosts.dir, name);
    await writeFile(file, indexes.map((i) => `root@${hosts.addresses[i]}`).join('\n') + '\n');
    return file;
  };
  const sshArgs = (file: string) => [
    '--runtime',
    'ssh',
    '--hosts-file',
    file,
    '--ssh-key',
    hosts.keyFile,
    '--ssh-known-hosts',
    hosts.knownHostsFile,
  ];
  const expectHostsUntouched = async () => {
    expect(await sshHostsSnapshot(hosts)).toEqual(hostsBefore);
    expect(await hostSnapshot(ignore)).toEqual(localBefore);
  };

  beforeAll(async () => {
    build();
    hosts = await startSshHosts(9, FAULTY);
    // Other runs on this machine come and go; only ours (the hosts' tag) count.
    ignore = ignoreOtherRuns([hosts.tag]);
    hostsBefore = await sshHostsSnapshot(hosts);
    localBefore = await hostSnapshot(ignore);
  });

  afterAll(async () => {
    await hosts?.stop();
  });

  it(
    'runs raftkv on 5 hosts under partitions, kills, pauses and clock skew, valid, and leaves the hosts as they were',
    { timeout: 300_000 },
    async () => {
      const store = path.join(hosts.dir, 'store');
      const file = await hostsFile('good5', [0, 1, 2, 3, 4]);
      const r = await splitbrain([
        'test',
        ...sshArgs(file),
        '--db',
        'raftkv',
        '--workload',
        'kv',
        '--nemesis',
        'partition,kill,pause,clock',
        '--time-limit',
        '30',
        '--store',
        store,
        '--seed',
        '7',
      ]);
      expect(r.exitCode, r.all).toBe(0);
      expect(r.all).toContain('on 5 ssh nodes');
      const run = latestRun(store, 'raftkv-kv');
      const results = readResults(run);
      expect(results.stats.byType.ok).toBeGreaterThanOrEqual(500);
      expect([...faultKinds(readHistory(run))].sort()).toEqual(['clock', 'kill', 'partition', 'pause']);
      expect(results.test.runtime).toBe('ssh');
      // Logs and data came back from every host.
      for (const n of ['n1', 'n2', 'n3', 'n4', 'n5']) {
        expect(readFileSync(path.join(run, 'nodes', n, 'raftkv.log'), 'utf8')).not.toBe('');
        expect(existsSync(path.join(run, 'nodes', n, 'data', 'raftkv')), n).toBe(true);
      }
      await expectHostsUntouched();
    },
  );

  const refusals: { what: string; hosts: number[]; args?: string[]; line: RegExp }[] = [
    { what: 'refuses connections', hosts: [0, 1, 5], line: /host root@\S+\.16: connection refused/ },
    { what: 'does not answer', hosts: [0, 6, 1], line: /host root@\S+\.17: timed out after \d+ s/ },
    { what: 'lacks setsid', hosts: [8, 0, 1], line: /host root@\S+\.19: lacks setsid/ },
    { what: 'has no usable node for raftkv', hosts: [0, 7, 1], line: /host root@\S+\.18: no usable node on PATH/ },
  ];
  for (const c of refusals) {
    it(`ends with exit 3 and one line naming a host that ${c.what}, leaving nothing on the others`, async () => {
      const file = await hostsFile(`bad-${c.hosts.join('')}`, c.hosts);
      const r = await splitbrain([
        'test',
        ...sshArgs(file),
        '--nemesis',
        'none',
        '--time-limit',
        '5',
        '--store',
        path.join(hosts.dir, 'store'),
      ]);
      expect(r.exitCode, r.all).toBe(3);
      const lines = r.all.split('\n').filter((l) => c.line.test(l));
      expect(lines, r.all).toHaveLength(1);
      expect(r.all).not.toMatch(/^\s+at /m); // no stack trace
      await expectHostsUntouched();
    });
  }

  it('refuses a malformed hosts file with exit 64, naming file and line', async () => {
    const file = path.join(hosts.dir, 'malformed');
    await writeFile(file, `root@${hosts.addresses[0]}\nroot@host:99999\n`);
    const r = await splitbrain(['test', ...sshArgs(file), '--time-limit', '5']);
    expect(r.exitCode).toBe(64);
    expect(r.all).toContain(`hosts file ${file} line 2: port 99999 is not 1-65535`);
  });
});
