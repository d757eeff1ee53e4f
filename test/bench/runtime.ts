/**
 * Runtime timings: the node image (built once per machine), 5 Docker containers created and
 * started (goal < 5 s once the image exists), kill + restart of one node's daemon until it
 * answers again (goal < 2 s), teardown; and the same for the local runtime, and for the ssh
 * runtime on 5 test hosts (namespaces on this machine running sshd: the network is a local bridge,
 * so these are the runtime's own costs, not a real network's).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBaseImage } from '../../cluster/images/index.js';
import { sshHostsUnavailableReason, startSshHosts } from '../fixtures/ssh-hosts.js';
import {
  DockerRuntime,
  LocalRuntime,
  newRunId,
  projectRoot,
  SshRuntime,
  type Runtime,
  type StartedNode,
} from '../../cluster/runtime/index.js';
import { readHostsFile } from '../../cluster/runtime/ssh/hosts-file.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const ROUNDS = 3;
const PROBE = path.join(projectRoot(), 'dist', 'test', 'fixtures', 'probe-daemon.js');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (xs: number[]): string => `median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;

async function answering(node: StartedNode): Promise<void> {
  for (;;) {
    try {
      await fetch(`http://${node.address}:7070/ping`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function spawnProbe(node: StartedNode) {
  return node.spawn({ name: 'probe', command: [process.execPath, PROBE, node.address, '7070', node.name] });
}

async function measure(label: string, runtime: Runtime): Promise<void> {
  const starts: number[] = [];
  const restarts: number[] = [];
  const teardowns: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const logDir = await mkdtemp(path.join(tmpdir(), 'sb-bench-'));
    let t = performance.now();
    const cluster = await runtime.start({ runId: newRunId(), nodes: NODES, logDir });
    starts.push(performance.now() - t);
    try {
      const n1 = cluster.node('n1');
      let daemon = await spawnProbe(n1);
      await answering(n1);
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        await daemon.signal('SIGKILL');
        daemon = await spawnProbe(n1);
        await answering(n1);
        restarts.push(performance.now() - t);
      }
    } finally {
      t = performance.now();
      await cluster.teardown();
      teardowns.push(performance.now() - t);
      await rm(logDir, { recursive: true, force: true });
    }
  }
  console.log(`${label}: 5 nodes created and started: ${fmt(starts)}; goal < 5000 ms`);
  console.log(`${label}: kill + restart one node until it answers: ${fmt(restarts)}; goal < 2000 ms`);
  console.log(`${label}: teardown of 5 nodes: ${fmt(teardowns)}`);
}

/** Prints image, start, kill+restart and teardown timings for both runtimes. */
export async function run(): Promise<void> {
  const docker = new DockerRuntime();
  const reason = await docker.unavailableReason();
  if (reason) {
    console.log(`docker timings skipped: ${reason}`);
  } else {
    const image = await ensureBaseImage({ log: (l) => console.log(`image: ${l}`) });
    console.log(
      image.built
        ? `image ${image.tag} built in ${image.seconds.toFixed(1)} s`
        : `image ${image.tag} already built (cached)`,
    );
    await measure('docker', docker);
  }
  await measure('local', new LocalRuntime());
  const sshReason = await sshHostsUnavailableReason();
  if (sshReason) {
    console.log(`ssh timings skipped: ${sshReason}`);
    return;
  }
  const hosts = await startSshHosts(NODES.length);
  try {
    const ssh = new SshRuntime({
      hosts: await readHostsFile(hosts.hostsFile),
      keyFile: hosts.keyFile,
      knownHostsFile: hosts.knownHostsFile,
    });
    await measure('ssh (5 test hosts on this machine)', ssh);
  } finally {
    await hosts.stop();
  }
}
