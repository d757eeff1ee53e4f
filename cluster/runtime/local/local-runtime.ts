/**
 * The local runtime: every node a set of host processes. As root with iproute2 and iptables,
 * each node gets its own network namespace on a bridge made for the run, so iptables faults are
 * as real as in containers. Otherwise nodes share the loopback interface (one 127.x address
 * each) and the cluster says iptables faults are unavailable and why.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { CLOCK_FILE, hostHasFaketime, writeOffsetFile } from '../faketime.js';
import { sweepHost } from '../host-sweep.js';
import { runScratchDir, runTag, scratchRoot } from '../run-tag.js';
import type { ClusterCapabilities, ClusterSpec, Runtime, StartedCluster, StartedNode } from '../runtime.js';
import { pickSubnet } from '../subnet.js';
import { createLocalNetwork, planLocalNetwork, SubnetTakenError } from './local-network.js';
import { LocalNode } from './local-node.js';
import { createHash } from 'node:crypto';

const LOCAL_SUBNET_SECOND_OCTET = 243;

/** Options of the local runtime. */
export interface LocalRuntimeOptions {
  /** Use per-node namespaces when possible (default) or always share loopback. */
  isolation?: 'auto' | 'loopback';
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
    const nsReason =
      this.opts.isolation === 'loopback' ? 'loopback isolation was asked for' : await namespaceUnavailableReason();
    const faketime = hostHasFaketime();
    const reasons: string[] = [];
    if (nsReason) {
      reasons.push(
        `iptables faults need a network namespace per node, and ${nsReason}: run as root with iproute2 and iptables installed, or use --runtime docker`,
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
export class LocalCluster implements StartedCluster {
  readonly runtime = 'local' as const;
  private readonly members: LocalNode[];
  private tearingDown: Promise<void> | undefined;

  constructor(
    readonly runId: string,
    members: LocalNode[],
    readonly capabilities: ClusterCapabilities,
    private readonly scratchDir: string,
    /** Whether nodes have namespaces (and so a bridge and a host rule to remove). */
    readonly isolated: boolean,
  ) {
    this.members = members;
  }

  get nodes(): readonly LocalNode[] {
    return this.members;
  }

  /** Adds a node while starting. */
  add(node: LocalNode): void {
    this.members.push(node);
  }

  node(name: string): StartedNode {
    const found = this.members.find((n) => n.name === name);
    if (!found) throw new Error(`no node named ${name} (have ${this.members.map((n) => n.name).join(', ')})`);
    return found;
  }

  teardown(): Promise<void> {
    this.tearingDown ??= this.doTeardown();
    return this.tearingDown;
  }

  private async doTeardown(): Promise<void> {
    await Promise.all(this.members.map((n) => n.killAll()));
    // Anything else carrying the run marker (exec'd commands that outlived a time-out, daemons
    // of an earlier process for the same run), then namespaces, links and host rules.
    await sweepHost(this.runId);
    await rm(this.scratchDir, { recursive: true, force: true });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.teardown();
  }
}
