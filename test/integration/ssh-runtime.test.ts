/**
 * The SSH runtime against the runtime contract, on three test hosts (network namespaces on a
 * bridge of the test's own, each running sshd on its own address): addresses, exec, daemons that
 * are killed, paused and restarted, clock offsets, logs, iptables inside a host, and nothing left
 * on this machine or on the hosts after teardown.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { readHostsFile, SshRuntime, type SshHost } from '../../cluster/runtime/index.js';
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
});
