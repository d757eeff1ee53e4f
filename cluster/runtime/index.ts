/**
 * Runtimes place a cluster's nodes: Docker containers (the default when an engine answers),
 * local processes, or remote hosts over SSH (`ssh`, given hosts). Pick one with selectRuntime; everything else acts on the returned
 * StartedCluster through the interfaces in runtime.ts:
 *
 *     const runtime = await selectRuntime('auto');            // or 'docker' | 'local'
 *     await using cluster = await runtime.start({ runId: newRunId(), nodes: ['n1', 'n2', 'n3'], logDir });
 *     const stop = installSignalTeardown(cluster);             // Ctrl-C tears down; twice forces exit
 *     if (!cluster.capabilities.iptables) refuse(cluster.capabilities.reasons);
 *     const d = await cluster.node('n1').spawn({ name: 'raftkv', command: [process.execPath, script], fakeTime: true });
 *     await d.signal('SIGSTOP'); d.isPaused(); await d.signal('SIGKILL'); await d.exited();
 *     await cluster.node('n2').exec(['iptables', '-A', 'INPUT', '-s', addr, '-j', 'DROP']);
 *     await cluster.node('n3').setClockOffset(2_500);
 *
 * Daemons should listen on `node.address` (on shared loopback every node uses the same ports).
 * `process.execPath` and the project folder exist at the same paths inside every node.
 */
import { DockerRuntime, type DockerRuntimeOptions } from './docker/index.js';
import { LocalRuntime } from './local/index.js';
import type { Runtime, RuntimeName } from './runtime.js';
import { SshRuntime, type SshRuntimeOptions } from './ssh/index.js';

export { RUNTIME_NAMES } from './runtime.js';
export type {
  ClusterCapabilities,
  Daemon,
  DaemonSpec,
  ExecResult,
  Runtime,
  RuntimeName,
  StartedCluster,
  StartedNode,
} from './runtime.js';
export { DockerRuntime } from './docker/index.js';
export {
  describedImage,
  faketimeProblem,
  NodeContainerError,
  startNodeContainer,
  StartedNodeContainer,
  type NodeContainerOptions,
} from './docker/index.js';
export { LocalRuntime } from './local/index.js';
export { hasLinkControl } from './link-control.js';
export type { LinkControl, LinkFault } from './link-control.js';
export { SSH_OPTIONS, sshFlagsOf, sshOptionsFromFlags, SshRuntime } from './ssh/index.js';
export type { SshFlags, SshRuntimeOptions } from './ssh/index.js';
export { installSignalTeardown } from './signal-teardown.js';
export { newRunId, RUN_LABEL } from './run-tag.js';
export { projectRoot } from './project-root.js';

/** A runtime name as accepted on the command line. */
export type RuntimeChoice = RuntimeName | 'auto';

/** Options for selectRuntime: Docker's, and the hosts and credentials `ssh` needs. */
interface RuntimeOptions extends DockerRuntimeOptions {
  ssh?: SshRuntimeOptions;
}

/**
 * Returns the runtime to use: the named one (throwing, with the reason, when it cannot run
 * here), or for 'auto' Docker when an engine answers and its image can be had, else local.
 * 'ssh' is never picked by 'auto': it needs hosts.
 */
export async function selectRuntime(choice: RuntimeChoice = 'auto', opts: RuntimeOptions = {}): Promise<Runtime> {
  if (choice === 'local') return new LocalRuntime();
  if (choice === 'ssh') {
    const ssh = new SshRuntime(opts.ssh ?? { hosts: [] });
    const why = await ssh.unavailableReason();
    if (why) throw new Error(`the ssh runtime cannot run: ${why}`);
    return ssh;
  }
  const docker = new DockerRuntime(opts);
  const reason = await docker.unavailableReason();
  if (choice === 'docker') {
    if (reason) throw new Error(`the docker runtime cannot run here: ${reason}`);
    return docker;
  }
  return reason ? new LocalRuntime() : docker;
}

/** Removes what any earlier run left behind in every runtime (or only run `runId`'s); one line per thing. */
export async function cleanAll(runId?: string): Promise<string[]> {
  // An empty id would match every run; a caller that lost its id must not sweep others' clusters.
  if (runId !== undefined && runId.trim() === '') throw new Error('cleanAll: an empty run id would match every run');
  // Docker first: its bridges are named sb-<tag> too and must go through the engine.
  const docker = await new DockerRuntime().clean(runId);
  const local = await new LocalRuntime().clean(runId);
  return [...docker, ...local];
}
export { readClusterStates, writeClusterState } from './cluster-state.js';
export { markedPids } from './host-sweep.js';
export type { ClusterState } from './cluster-state.js';
