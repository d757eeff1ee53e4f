/**
 * The local runtime: every node a set of host processes. As root with iproute2 and iptables,
 * each node gets its own network namespace on a bridge made for the run, so iptables faults are
 * as real as in containers. Otherwise nodes share the loopback interface (one 127.x address
 * each), their links to each other run through splitbrain's link proxy (link-proxy.ts) so
 * partitions and packet loss still bite, and the cluster says iptables is unavailable and why.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { CLOCK_FILE, hostHasFaketime, writeOffsetFile } from '../faketime.js';
import { sweepHost } from '../host-sweep.js';
import { runScratchDir, runTag, scratchRoot } from '../run-tag.js';
import { ClusterBase } from '../cluster-base.js';
import type { ClusterCapabilities, ClusterSpec, Runtime, StartedCluster } from '../runtime.js';
import { pickSubnet } from '../subnet.js';
import { createLocalNetwork, planLocalNetwork, SubnetTakenError } from './local-network.js';
import { LocalNode } from './local-node.js';
import { startLinkProxy } from './link-proxy-process.js';
import type { LinkControl } from '../link-control.js';
import { createHash } from 'node:crypto';

const LOCAL_SUBNET_SECOND_OCTET = 243;

/** How local nodes are kept apart on the network. */
export type LocalIsolation = 'auto' | 'proxy' | 'loopback';

/** The environment variable that picks the isolation when the options do not (say `proxy` in CI as root). */
export const ISOLATION_ENV = 'SPLITBRAIN_LOCAL_ISOLATION';

/** Options of the local runtime. */
export interface LocalRuntimeOptions {
  /**
   * `auto` (default): a network namespace per node when possible, else shared loopback with
   * node-to-node links through the link proxy; `proxy`: the proxy even where namespaces would
   * work; `loopback`: shared loopback and no proxy (no network faults at all).
   */
  isolation?: LocalIsolation;
}

/** The isolation asked for through ISOLATION_ENV, or undefined; throws on a value it does not know. */
export function isolationFromEnv(env: NodeJS.ProcessEnv = process.env): LocalIsolation | undefined {
  const v = env[ISOLATION_ENV];
  if (v === undefined || v === '') return undefined;
  if (v === 'auto' || v === 'proxy' || v === 'loopback') return v;
  throw new Error(`${ISOLATION_ENV}=${v}: expected auto, proxy or loopback`);
}

async function hasTool(cmd: string, args: string[]): Promise<boolean> {
  const r = await execa(cmd, args, { reject: false });
  return !(r.failed && r.exitCode === undefined);
}

/** Why nodes cannot get their own namespaces here, or undefined when they can. */
export async function namespaceUnavailableReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not running as root, so nodes cannot get their own network namespaces';
  if (!(await hasTool('ip', ['-V']))) return 'iproute2 (the `ip` command) is not installed';
  if (!(await hasTool('iptables', ['--version']))) return 'iptables is not installed';
  return undefined;
}

/** Places nodes as local processes. */
export class LocalRuntime implements Runtime {
  readonly name = 'local' as const;

  constructor(private readonly opts: LocalRuntimeOptions = {}) {}

  async unavailableReason(): Promise<string | undefined> {
    return undefined; // Needs only Node; isolation degrades to loopback, and capabilities say so.
  }

  async start(spec: ClusterSpec): Promise<StartedCluster> {
    const tag = runTag(spec.runId);
    const scratch = runScratchDir(spec.runId);
    await ensureOwnScratchRoot();
    const isolation = this.opts.isolation ?? isolationFromEnv() ?? 'auto';
    const nsReason = isolation === 'auto' ? await namespaceUnavailableReason() : `${isolation} isolation was asked for`;
    const proxied = nsReason !== undefined && isolation !== 'loopback';
    const faketime = hostHasFaketime();
    const reasons: string[] = [];
    if (nsReason) {
      reasons.push(
        `iptables faults need a network namespace per node, and ${nsReason}: run as root with iproute2 and iptables installed, or use --runtime docker` +
          (proxied ? '; node-to-node links run through the link proxy instead' : ''),
      );
    }
    if (!faketime)
      reasons.push('libfaketime is not installed (apt-get install libfaketime), so clocks cannot be skewed');
    const capabilities: ClusterCapabilities = { iptables: nsReason === undefined, faketime, reasons };
    const cluster = new LocalCluster(spec.runId, [], capabilities, scratch, nsReason === undefined);
    try {
      let plan: ReturnType<typeof planLocalNetwork> | undefined;
      if (!nsReason) {
        for (let attempt = 0; ; attempt++) {
          plan = planLocalNetwork(tag, spec.nodes, pickSubnet(LOCAL_SUBNET_SECOND_OCTET, tag, [], attempt));
          try {
            await createLocalNetwork(plan);
            break;
          } catch (err) {
            if (!(err instanceof SubnetTakenError) || attempt >= 5) throw err;
          }
        }
      }
      // Loopback mode: 127.<a>.<b>.11+i, from the tag, so concurrent runs do not share addresses.
      const h = createHash('sha256').update(tag).digest();
      for (const [i, name] of spec.nodes.entries()) {
        const hostLogDir = path.join(path.resolve(spec.logDir), name);
        const clockDir = path.join(scratch, name);
        await mkdir(path.join(hostLogDir, 'data'), { recursive: true });
        await writeOffsetFile(path.join(clockDir, CLOCK_FILE), 0);
        const planned = plan?.nodes[i];
        const address = planned?.address ?? `127.${100 + (h[0]! % 100)}.${h[1]!}.${11 + i}`;
        cluster.add(new LocalNode(name, address, spec.runId, planned?.namespace, hostLogDir, clockDir));
      }
      if (proxied) {
        cluster.links = await startLinkProxy({
          runId: spec.runId,
          nodes: new Map(cluster.nodes.map((n) => [n.name, n.address])),
          socketPath: path.join(scratch, 'links.sock'),
          logFile: path.join(path.resolve(spec.logDir), 'link-proxy.log'),
        });
      }
      return cluster;
    } catch (err) {
      await cluster.teardown().catch(() => undefined);
      throw err;
    }
  }

  async clean(runId?: string): Promise<string[]> {
    const removed = await sweepHost(runId);
    await rm(runId === undefined ? scratchRoot() : runScratchDir(runId), { recursive: true, force: true });
    return removed;
  }
}

/** The processes (and namespaces) of one local run. */
export class LocalCluster extends ClusterBase<LocalNode> {
  override readonly runtime = 'local' as const;
  /** The link proxy's control, when node-to-node links run through it (set while starting). */
  links: LinkControl | undefined;

  constructor(
    runId: string,
    members: LocalNode[],
    override readonly capabilities: ClusterCapabilities,
    private readonly scratchDir: string,
    /** Whether nodes have namespaces (and so a bridge and a host rule to remove). */
    readonly isolated: boolean,
  ) {
    super(runId, members);
  }

  protected override async doTeardown(): Promise<void> {
    await Promise.all(this.members.map((n) => n.killAll()));
    // Anything else carrying the run marker (the link proxy, exec'd commands that outlived a
    // time-out, daemons of an earlier process for the same run), then namespaces, links and host rules.
    await sweepHost(this.runId);
    await rm(this.scratchDir, { recursive: true, force: true });
  }
}

/**
 * Creates the per-user scratch root private to us, and refuses one another user made: their
 * files there could be read as ours, and they could reach the link proxy's control socket.
 */
async function ensureOwnScratchRoot(): Promise<void> {
  const root = path.dirname(scratchRoot());
  await mkdir(root, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  const st = await stat(root);
  if (uid !== undefined && st.uid !== uid)
    throw new Error(`${root} belongs to uid ${st.uid}, not to us (uid ${uid}): remove it or set TMPDIR elsewhere`);
}
