/**
 * A runner killed with SIGKILL in the middle of an SSH run leaves its nodes running on the hosts
 * (they are detached from the SSH channel on purpose), with a partition in force and clocks
 * skewed; `splitbrain cluster clean --runtime ssh --hosts-file FILE` then puts every host back
 * as it was before the run: no marked process, no splitbrain iptables chain, no file. Ctrl-C
 * needs no clean: the runner heals and tears down itself. `cluster up`/`down` on the same hosts.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSnapshot, ignoreOtherRuns } from '../../cluster/runtime/host-snapshot.js';
import { sshHostsSnapshot, sshHostsUnavailableReason, startSshHosts, type SshHosts } from '../fixtures/ssh-hosts.js';
import { build, readHistory, splitbrain } from './test-command-helpers.js';

const reason = await sshHostsUnavailableReason();

/** Resolves once the run's history records one of the faults `fs` as injected, or rejects after `ms`. */
async function waitForFault(runDir: () => string | undefined, fs: string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const dir = runDir();
    if (dir !== undefined && existsSync(path.join(dir, 'history.jsonl'))) {
      const injected = readHistory(dir).some(
        (e) =>
          e.process === 'nemesis' &&
          e.type === 'info' &&
          fs.includes(e.f) &&
          ((e.value as { injected?: number } | undefined)?.injected ?? 0) > 0,
      );
      if (injected) return;
    }
    if (Date.now() > deadline) {
      const seen =
        dir && existsSync(path.join(dir, 'history.jsonl'))
          ? readHistory(dir).filter((e) => e.process === 'nemesis')
          : [];
      throw new Error(
        `no ${fs.join(' or ')} injected within ${ms} ms in ${dir}: ${JSON.stringify(seen).slice(0, 1000)}`,
      );
    }
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

  it('heals and removes everything from the hosts itself on Ctrl-C', async () => {
    const before = await sshHostsSnapshot(hosts);
    const ssh = [
      '--hosts-file',
      hosts.hostsFile,
      '--ssh-key',
      hosts.keyFile,
      '--ssh-known-hosts',
      hosts.knownHostsFile,
    ];
    const child = splitbrain([
      'test',
      '--runtime',
      'ssh',
      ...ssh,
      '--nemesis',
      'partition,pause',
      '--nemesis-interval',
      '20',
      '--time-limit',
      '120',
      '--store',
      path.join(hosts.dir, 'store'),
    ]);
    let runDir: string | undefined;
    child.stderr!.on('data', (b: Buffer) => {
      runDir ??= /run folder (\S+)/.exec(b.toString())?.[1];
    });
    try {
      await waitForFault(() => runDir, ['start-partition', 'pause'], 90_000);
      expect(await sshHostsSnapshot(hosts)).not.toEqual(before);
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode, r.all).toBe(3);
      expect(r.all).toMatch(/interrupted by a signal/);
      expect(await sshHostsSnapshot(hosts)).toEqual(before);
    } finally {
      child.kill('SIGKILL');
      await splitbrain(['cluster', 'clean', '--runtime', 'ssh', ...ssh]);
    }
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
      await waitForFault(() => runDir, ['start-partition'], 90_000);
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

  it('`cluster up --runtime ssh` leaves raftkv serving after the CLI exits, and `cluster down` removes it', async () => {
    const before = await sshHostsSnapshot(hosts);
    const ssh = [
      '--hosts-file',
      hosts.hostsFile,
      '--ssh-key',
      hosts.keyFile,
      '--ssh-known-hosts',
      hosts.knownHostsFile,
    ];
    const logDir = path.join(hosts.dir, 'up-logs');
    const up = await splitbrain(['cluster', 'up', '--runtime', 'ssh', ...ssh, '--db', 'raftkv', '--log-dir', logDir]);
    expect(up.exitCode, up.all).toBe(0);
    const runId = /run (\w+):/.exec(up.stdout)?.[1];
    expect(up.stdout).toContain(`3 nodes`);
    try {
      const status = await fetch(`http://${hosts.addresses[1]}:8000/status`, { signal: AbortSignal.timeout(5_000) });
      expect(((await status.json()) as { id: string }).id).toBe('n2');
    } finally {
      const down = await splitbrain(['cluster', 'down', '--run', runId ?? '?']);
      expect(down.exitCode, down.all).toBe(0);
    }
    expect(existsSync(path.join(logDir, 'n2', 'raftkv.log'))).toBe(true);
    expect(await sshHostsSnapshot(hosts)).toEqual(before);
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
