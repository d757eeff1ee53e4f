/**
 * A runner killed with SIGKILL in the middle of an SSH run leaves its nodes running on the hosts
 * (they are detached from the SSH channel on purpose), with a partition in force and clocks
 * skewed; `splitbrain cluster clean --runtime ssh --hosts-file FILE` then puts every host back
 * as it was before the run: no marked process, no splitbrain iptables chain, no file.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSnapshot, ignoreOtherRuns } from '../../cluster/runtime/index.js';
import { sshHostsSnapshot, sshHostsUnavailableReason, startSshHosts, type SshHosts } from '../fixtures/ssh-hosts.js';
import { build, splitbrain } from './test-command-helpers.js';

const reason = await sshHostsUnavailableReason();

/** Resolves once `file` (growing) holds a line matching `pattern`, or rejects after `ms`. */
async function waitForLine(file: () => string | undefined, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const f = file();
    if (f !== undefined) {
      const text = (() => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return '';
        }
      })();
      if (pattern.test(text)) return;
    }
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(reason !== undefined)(`an ssh run killed midway${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let hosts: SshHosts;

  beforeAll(async () => {
    build();
    hosts = await startSshHosts(3);
  });

  afterAll(async () => {
    await hosts?.stop();
  });

  it('leaves nodes, rules and files on the hosts after SIGKILL, and `cluster clean` removes all of them', async () => {
    const ignore = ignoreOtherRuns([hosts.tag]);
    const before = await sshHostsSnapshot(hosts);
    const localBefore = await hostSnapshot(ignore);
    const ssh = [
      '--hosts-file',
      hosts.hostsFile,
      '--ssh-key',
      hosts.keyFile,
      '--ssh-known-hosts',
      hosts.knownHostsFile,
    ];
    const store = path.join(hosts.dir, 'store');
    const child = splitbrain([
      'test',
      '--runtime',
      'ssh',
      ...ssh,
      '--nemesis',
      'partition,clock',
      '--nemesis-interval',
      '20',
      '--time-limit',
      '120',
      '--store',
      store,
    ]);
    let runDir: string | undefined;
    child.stderr!.on('data', (b: Buffer) => {
      runDir ??= /run folder (\S+)/.exec(b.toString())?.[1];
    });
    try {
      // Wait until a partition is in force (its start op injected rules), then kill the runner outright.
      await waitForLine(
        () => (runDir ? path.join(runDir, 'history.jsonl') : undefined),
        /"f":"start-partition","value":\{"injected":[1-9]/,
        90_000,
      );
      child.kill('SIGKILL');
      await child;
      const left = await sshHostsSnapshot(hosts);
      expect(left).not.toEqual(before);
      expect(left['marked processes']!.length).toBeGreaterThanOrEqual(3);
      expect(
        Object.entries(left).some(([k, v]) => k.startsWith('iptables') && v.some((l) => l.includes('SPLITBRAIN'))),
      ).toBe(true);

      const clean = await splitbrain(['cluster', 'clean', '--runtime', 'ssh', ...ssh]);
      expect(clean.exitCode, clean.all).toBe(0);
      expect(clean.stdout).toMatch(/removed process \d+ on root@/);
      expect(clean.stdout).toMatch(/removed iptables chain SPLITBRAIN-PARTITION on root@/);
      expect(clean.stdout).toMatch(/removed folder \/tmp\/splitbrain-ssh on root@/);
      expect(await sshHostsSnapshot(hosts)).toEqual(before);
      expect(await hostSnapshot(ignore)).toEqual(localBefore);

      const again = await splitbrain(['cluster', 'clean', '--runtime', 'ssh', ...ssh]);
      expect(again.stdout).toContain('nothing to clean');
    } finally {
      child.kill('SIGKILL');
      await splitbrain(['cluster', 'clean', '--runtime', 'ssh', ...ssh]);
    }
  });

  it('says which host it could not reach, with exit 3', async () => {
    const file = path.join(hosts.dir, 'unreachable');
    // A port nobody listens on, on a host that exists.
    await writeFile(file, `root@${hosts.addresses[0]}\nroot@${hosts.addresses[1]}:2222\n`);
    const r = await splitbrain([
      'cluster',
      'clean',
      '--runtime',
      'ssh',
      '--hosts-file',
      file,
      '--ssh-key',
      hosts.keyFile,
      '--ssh-known-hosts',
      hosts.knownHostsFile,
    ]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([
      `splitbrain: could not clean every host: host root@${hosts.addresses[1]}:2222: connection refused (is sshd running on port 2222?)`,
    ]);
  });
});
