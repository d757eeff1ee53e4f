/**
 * Packet delay with `tc netem` on the interface a target uses to reach its peers. Only offered
 * where the capability probe could add a netem qdisc in a node; kernels without sch_netem (this
 * project's CI machine among them) get `packet-delay` refused up front instead.
 */
import type { StartedCluster, StartedNode } from '../cluster/runtime/index.js';
import {
  completeOp,
  createSerializer,
  forEachNode,
  healingTeardown,
  type CompletedNemesisOp,
  type Nemesis,
  type NemesisOp,
} from './nemesis.js';
import { createRng } from '../workloads/index.js';
import { computeTargets, type TargetPlan } from './targets.js';

/** The plan a `start-packet-delay` op carries. */
export interface PacketDelayPlan extends TargetPlan {
  delayMs: number;
  jitterMs: number;
}

/** Reads the device name out of `ip -o route get ADDRESS` output ("... dev eth0 src ..."). */
export function parseRouteDevice(ipRouteGet: string): string | undefined {
  return /\bdev (\S+)/.exec(ipRouteGet)?.[1];
}

/** Makes the nemesis that handles `start-packet-delay` and `stop-packet-delay`. */
export function createPacketDelayNemesis(opts: { cluster: StartedCluster; seed?: number }): Nemesis {
  const { cluster } = opts;
  const serial = createSerializer();
  const rng = createRng(opts.seed ?? 0);
  const names = cluster.nodes.map((n) => n.name);
  const applied = new Map<string, string>(); // node -> device

  const exec = async (node: StartedNode, argv: string[]): Promise<string> => {
    const r = await node.exec(argv, { timeoutMs: 20_000 });
    if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  };

  const start = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as PacketDelayPlan;
    const nodes = (plan.nodes ?? computeTargets(plan.targets === 'leader' ? 'one' : plan.targets, names, rng)).filter(
      (n) => !applied.has(n),
    );
    const devices: Record<string, string> = {};
    const r = await forEachNode(
      nodes,
      async (name) => {
        const node = cluster.node(name);
        const peer = cluster.nodes.find((n) => n.name !== name);
        const dev = parseRouteDevice(await exec(node, ['ip', '-o', 'route', 'get', peer?.address ?? '127.0.0.1']));
        if (dev === undefined) throw new Error('no route to a peer');
        await exec(node, [
          'tc',
          'qdisc',
          'add',
          'dev',
          dev,
          'root',
          'netem',
          'delay',
          `${plan.delayMs}ms`,
          `${plan.jitterMs}ms`,
        ]);
        applied.set(name, dev);
        devices[name] = dev;
      },
      { sequential: true },
    );
    const value = {
      injected: r.done,
      targets: plan.targets,
      nodes,
      devices,
      delayMs: plan.delayMs,
      jitterMs: plan.jitterMs,
    };
    return completeOp(op.f, value, r.errors);
  };

  const stop = async (): Promise<CompletedNemesisOp> => {
    const nodes = [...applied.keys()].sort();
    const r = await forEachNode(
      nodes,
      async (name) => {
        await exec(cluster.node(name), ['tc', 'qdisc', 'del', 'dev', applied.get(name) as string, 'root', 'netem']);
        applied.delete(name);
      },
      { sequential: true },
    );
    return completeOp('stop-packet-delay', { healed: r.done, nodes }, r.errors);
  };

  return {
    fs: ['start-packet-delay', 'stop-packet-delay'],
    setup: async () => {},
    invoke: (op) => serial(() => (op.f === 'start-packet-delay' ? start(op) : stop())),
    teardown: healingTeardown(serial, () => applied.size > 0, stop, 'packet delay'),
  };
}
