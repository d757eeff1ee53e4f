/**
 * The SSH runtime, as Jepsen's control node works: every node is a host the user already has,
 * listed in a hosts file and reached over one SSH connection kept for the run. At start it checks
 * each host has what the runtime needs (one line naming the host and what is missing), creates
 * the node's folder under /tmp/splitbrain-ssh/<run>/<node>/, and finds out what the faults can
 * use there (iptables, libfaketime, a node binary). If any host fails, whatever the others
 * started is removed again.
 */
import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { CLOCK_FILE, formatOffset, LIBFAKETIME } from '../faketime.js';
import { projectRoot } from '../project-root.js';
import { runScratchDir } from '../run-tag.js';
import { ClusterBase } from '../cluster-base.js';
import type { ClusterCapabilities, ClusterSpec, Runtime, StartedCluster } from '../runtime.js';
import { RemoteBundle } from './bundle.js';
import type { SshHost } from './hosts-file.js';
import { defaultKnownHostsFile } from './known-hosts.js';
import { nodeLayout, REMOTE_BASE, remoteRunDir, type NodeLayout } from './remote-layout.js';
import { CHECK_TOOLS, PROBE_FAULT_TOOLS } from './remote-scripts.js';
import { sweepRemote } from './remote-sweep.js';
import { pickAuth, type SshAuth } from './ssh-auth.js';
import { SshConnection, type SshConnectOptions } from './ssh-connection.js';
import { copyNodeFiles, SshNode, type HostFacts } from './ssh-node.js';
import { shellJoin, shScript } from './shell.js';

/** Options of the SSH runtime. */
export interface SshRuntimeOptions {
  /** The hosts, in node order (n1 on the first). */
  hosts: SshHost[];
  /** Private key file; default: the SSH agent, else ~/.ssh/id_*. */
  keyFile?: string;
  /** User for hosts the file names without one; default: the local user name. */
  user?: string;
  /** Refuse hosts whose key is not in the known-hosts file (default: record new ones). */
  strictHostKeys?: boolean;
  /** splitbrain's known-hosts file; default ~/.splitbrain/known_hosts. */
  knownHostsFile?: string;
  /** Connect and handshake limit per host (default 10 s). */
  connectTimeoutMs?: number;
}

/** The oldest Node major the bundled raftkv runs on. */
const MIN_NODE_MAJOR = 20;

/** Places nodes on remote hosts over SSH. */
export class SshRuntime implements Runtime {
  readonly name = 'ssh' as const;

  constructor(readonly opts: SshRuntimeOptions) {}

  async unavailableReason(): Promise<string | undefined> {
    if (this.opts.hosts.length === 0) return 'no hosts: give --hosts-file with one [user@]host[:port] a line';
    return undefined;
  }

  private connectOptions(host: SshHost, auth: SshAuth): SshConnectOptions {
    return {
      host,
      defaultUser: this.opts.user ?? userInfo().username,
      auth,
      knownHostsFile: this.opts.knownHostsFile ?? defaultKnownHostsFile(),
      strictHostKeys: this.opts.strictHostKeys ?? false,
      timeoutMs: this.opts.connectTimeoutMs ?? 10_000,
    };
  }

  /** Connects to `hosts` in parallel; on any failure closes the others and throws one line. */
  private async connectAll(hosts: SshHost[]): Promise<SshConnection[]> {
    const auth = await pickAuth(this.opts.keyFile);
    const settled = await Promise.allSettled(hosts.map((host) => SshConnection.open(this.connectOptions(host, auth))));
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
    if (failed.length > 0) {
      for (const s of settled) if (s.status === 'fulfilled') s.value.close();
      throw new Error(failed.join('; '));
    }
    return settled.map((s) => (s as PromiseFulfilledResult<SshConnection>).value);
  }

  async start(spec: ClusterSpec): Promise<StartedCluster> {
    const { hosts } = this.opts;
    if (spec.nodes.length > hosts.length) {
      throw new Error(`${spec.nodes.length} nodes asked for but the hosts file lists ${hosts.length} hosts`);
    }
    const used = hosts.slice(0, spec.nodes.length);
    const connections = await this.connectAll(used);
    const layouts = spec.nodes.map((name) => nodeLayout(spec.runId, name));
    const cluster = new SshCluster(spec.runId, []);
    try {
      await Promise.all(connections.map((c) => checkTools(c)));
      const addresses = await Promise.all(used.map((h) => resolveAddress(h)));
      const root = projectRoot();
      const facts = await Promise.all(
        connections.map(async (c, i) => {
          const layout = layouts[i]!;
          await prepareNodeDir(c, layout);
          return probeHost(c);
        }),
      );
      for (const [i, name] of spec.nodes.entries()) {
        const c = connections[i]!;
        const layout = layouts[i]!;
        const bundle = new RemoteBundle(c, root, layout.bundle);
        const hostLogDir = path.join(path.resolve(spec.logDir), name);
        cluster.add(new SshNode(name, addresses[i]!, spec.runId, c, layout, bundle, facts[i]!.facts, hostLogDir));
      }
      cluster.capabilities = capabilitiesOf(used, facts);
      return cluster;
    } catch (err) {
      // Nodes not yet added still have folders: sweep through the connections directly.
      await Promise.allSettled(connections.map((c, i) => sweepRemote(c, `${layouts[i]!.root}/`, [layouts[i]!.root])));
      for (const c of connections) c.close();
      throw err;
    }
  }

  /**
   * Copies the logs and data of run `runId`'s nodes (n1 on the first host, ...) into
   * `<logDir>/<node>/`, for `cluster down`, which has no StartedCluster to ask.
   */
  async collectRunLogs(runId: string, nodes: string[], logDir: string): Promise<void> {
    const connections = await this.connectAll(this.opts.hosts.slice(0, nodes.length));
    try {
      await Promise.all(
        nodes.map((name, i) => copyNodeFiles(connections[i]!, nodeLayout(runId, name), path.join(logDir, name))),
      );
    } finally {
      for (const c of connections) c.close();
    }
  }

  async clean(runId?: string): Promise<string[]> {
    const scope = runId === undefined ? `${REMOTE_BASE}/` : `${remoteRunDir(runId)}/`;
    const folder = runId === undefined ? REMOTE_BASE : remoteRunDir(runId);
    const auth = await pickAuth(this.opts.keyFile);
    const out: string[] = [];
    const failed: string[] = [];
    await Promise.all(
      this.opts.hosts.map(async (host) => {
        let c: SshConnection | undefined;
        try {
          c = await SshConnection.open(this.connectOptions(host, auth));
          for (const line of await sweepRemote(c, scope, [folder])) out.push(`${line} on ${host.label}`);
        } catch (e) {
          failed.push((e as Error).message);
        } finally {
          c?.close();
        }
      }),
    );
    if (runId !== undefined) await rm(runScratchDir(runId), { recursive: true, force: true });
    if (failed.length > 0) throw new Error(`could not clean every host: ${failed.join('; ')}`);
    return out;
  }
}

/** The nodes of one run on their hosts. */
export class SshCluster extends ClusterBase<SshNode> {
  override readonly runtime = 'ssh' as const;
  override capabilities: ClusterCapabilities = { iptables: false, faketime: false, reasons: [] };

  constructor(runId: string, members: SshNode[]) {
    super(runId, members);
  }

  protected override async doTeardown(): Promise<void> {
    const bounded = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p, new Promise<void>((r) => setTimeout(r, ms).unref())]);
    await Promise.allSettled(this.members.map((n) => bounded(n.killAll(), 15_000)));
    await Promise.allSettled(this.members.map((n) => bounded(n.collectLogs(), 60_000)));
    const swept = await Promise.allSettled(
      this.members.map((n) => sweepRemote(n.connection, `${n.layout.root}/`, [n.layout.root])),
    );
    for (const n of this.members) n.connection.close();
    await rm(runScratchDir(this.runId), { recursive: true, force: true });
    const errors = swept.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
    if (errors.length > 0) throw new AggregateError(errors, `teardown of run ${this.runId} left something behind`);
  }
}

/** Throws `host X: lacks a, b` when the host misses a tool the runtime itself needs. */
async function checkTools(c: SshConnection): Promise<void> {
  const r = await c.run(shScript(CHECK_TOOLS), { timeoutMs: 30_000 });
  const missing = r.stdout.split('\n').filter((l) => l.trim() !== '');
  if (r.exitCode !== 0) throw new Error(`host ${c.label}: cannot run sh: ${r.stderr.trim().split('\n')[0]}`);
  if (missing.length > 0) throw new Error(`host ${c.label}: lacks ${missing.join(', ')}`);
}

/** The IPv4 address a host's node is known by (the hosts file's, or its name resolved here). */
async function resolveAddress(h: SshHost): Promise<string> {
  if (isIPv4(h.host)) return h.host;
  try {
    return (await lookup(h.host, { family: 4 })).address;
  } catch (e) {
    throw new Error(`host ${h.label}: cannot resolve ${h.host} to an IPv4 address: ${(e as Error).message}`);
  }
}

/** Creates the node's folders and its clock file (true time). */
async function prepareNodeDir(c: SshConnection, layout: NodeLayout): Promise<void> {
  const dirs = [layout.bundle, layout.data, layout.logs, layout.clock, layout.run];
  const clock = path.posix.join(layout.clock, CLOCK_FILE);
  const r = await c.run(
    `${shellJoin(['mkdir', '-p', ...dirs])} && ${shellJoin(['printf', '%s\\n', formatOffset(0)])} >${shellJoin([clock])}`,
    { timeoutMs: 30_000 },
  );
  if (r.exitCode !== 0) throw new Error(`host ${c.label}: cannot create ${layout.root}: ${r.stderr.trim()}`);
}

interface HostProbe {
  facts: HostFacts;
  faketime: boolean;
  iptables: string | undefined;
}

/** Finds the host's node binary, libfaketime and whether iptables works. */
async function probeHost(c: SshConnection): Promise<HostProbe> {
  const r = await c.run(shScript(PROBE_FAULT_TOOLS, [LIBFAKETIME]), { timeoutMs: 30_000 });
  const line = (key: string) =>
    r.stdout
      .split('\n')
      .find((l) => l.startsWith(`${key} `))
      ?.slice(key.length + 1) ?? '';
  const [nodePath = '-', version = '-'] = line('node').split(' ');
  const major = Number(version.split('.')[0]);
  const node: HostFacts['node'] =
    nodePath === '-'
      ? { problem: `no usable node on PATH (raftkv needs Node ${MIN_NODE_MAJOR} or later)` }
      : major < MIN_NODE_MAJOR
        ? { problem: `node ${version} at ${nodePath} is too old (raftkv needs Node ${MIN_NODE_MAJOR} or later)` }
        : { path: nodePath };
  const ipt = line('iptables');
  return {
    facts: { node },
    faketime: line('faketime') === 'yes',
    iptables: ipt.startsWith('yes') ? undefined : ipt.replace(/^no ?/, '') || 'iptables does not run',
  };
}

/** What the faults can use, host by host; a reason names each host lacking something. */
function capabilitiesOf(hosts: SshHost[], probes: HostProbe[]): ClusterCapabilities {
  const reasons: string[] = [];
  const noIptables = probes.flatMap((p, i) => (p.iptables === undefined ? [] : [`${hosts[i]!.label} (${p.iptables})`]));
  const noFaketime = probes.flatMap((p, i) => (p.faketime ? [] : [hosts[i]!.label]));
  if (noIptables.length > 0)
    reasons.push(`iptables does not work on ${noIptables.join(', ')}: install iptables and log in as root`);
  if (noFaketime.length > 0)
    reasons.push(`libfaketime is not installed on ${noFaketime.join(', ')} (apt-get install libfaketime)`);
  return { iptables: noIptables.length === 0, faketime: noFaketime.length === 0, reasons };
}
