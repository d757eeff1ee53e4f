/**
 * The SSH runtime against the runtime contract, on three test hosts (network namespaces on a
 * bridge of the test's own, each running sshd on its own address): addresses, exec, daemons that
 * are killed, paused and restarted, clock offsets, logs, iptables inside a host, and nothing left
 * on this machine or on the hosts after teardown.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId, SshRuntime } from '../../cluster/runtime/index.js';
import { readHostsFile, type SshHost } from '../../cluster/runtime/ssh/hosts-file.js';
import { sshHostsSnapshot, sshHostsUnavailableReason, startSshHosts, type SshHosts } from '../fixtures/ssh-hosts.js';
import { runtimeContract } from './runtime-contract.js';

const reason = await sshHostsUnavailableReason();

describe.skipIf(reason !== undefined)(`ssh runtime${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let hosts: SshHosts;
  let list: SshHost[];

  beforeAll(async () => {
    hosts = await startSshHosts(3);
    list = await readHostsFile(hosts.hostsFile);
  });

  afterAll(async () => {
    await hosts?.stop();
  });

  runtimeContract(
    'a 3-node cluster on SSH hosts',
    () => new SshRuntime({ hosts: list, keyFile: hosts.keyFile, knownHostsFile: hosts.knownHostsFile }),
    { isolated: true, nodeHostsSnapshot: () => sshHostsSnapshot(hosts) },
  );

  it('with strict host keys refuses a host not yet known, accepts it once recorded, and refuses a changed key', async () => {
    const known = path.join(hosts.dir, 'strict_known_hosts');
    const one = [list[0]!];
    const logDir = path.join(hosts.dir, 'strict-logs');
    const start = (strictHostKeys: boolean) =>
      new SshRuntime({ hosts: one, keyFile: hosts.keyFile, knownHostsFile: known, strictHostKeys }).start({
        runId: newRunId(),
        nodes: ['n1'],
        logDir,
      });
    await expect(start(true)).rejects.toThrow(`host ${one[0]!.label}: host key unknown`);
    expect(existsSync(known)).toBe(false);
    await (await start(false)).teardown();
    await (await start(true)).teardown();
    // Another host's key recorded for this one, as after a reinstall or an impostor.
    const other = (await readFile(path.join(hosts.dir, 'h2', 'ssh_host_ed25519_key.pub'), 'utf8')).split(' ');
    await writeFile(known, `${one[0]!.host} ${other[0]} ${other[1]}\n`);
    await expect(start(false)).rejects.toThrow(`host ${one[0]!.label}: host key changed`);
    expect(await sshHostsSnapshot(hosts)).toMatchObject({
      'marked processes': [],
      'files under /tmp/splitbrain-ssh': [],
    });
  });
});
