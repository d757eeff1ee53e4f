/**
 * Packet delay with `tc netem` on the interface a target uses to reach its peers. Only offered
 * where the capability probe could add a netem qdisc in a node; kernels without sch_netem (this
 * project's CI machine among them) get `packet-delay` refused up front instead.
 */
import type { StartedCluster, StartedNode } from '../cluster/runtime/runtime.js';
import { NemesisHealError } from './errors.js';
import type { TargetPlan } from './kill-nemesis.js';
import { createSerializer, type CompletedNemesisOp, type Nemesis, type NemesisOp } from './nemesis.js';
import { createRng } from './random.js';
import { computeTargets } from './targets.js';

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
    const errors: string[] = [];
    const devices: Record<string, string> = {};
    for (const name of nodes) {
      const node = cluster.node(name);
      const peer = cluster.nodes.find((n) => n.name !== name);
      try {
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
      } catch (e) {
        errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const value = {
      injected: Object.keys(devices).length,
      targets: plan.targets,
      nodes,
      devices,
      delayMs: plan.delayMs,
      jitterMs: plan.jitterMs,
    };
    return errors.length > 0 ? { f: op.f, value, error: errors.join('; ') } : { f: op.f, value };
  };

  const stop = async (): Promise<CompletedNemesisOp> => {
    const errors: string[] = [];
    const nodes = [...applied.keys()].sort();
    let healed = 0;
    for (const name of nodes) {
      try {
        await exec(cluster.node(name), ['tc', 'qdisc', 'del', 'dev', applied.get(name) as string, 'root', 'netem']);
        applied.delete(name);
        healed++;
      } catch (e) {
        errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const value = { healed, nodes };
    return errors.length > 0
      ? { f: 'stop-packet-delay', value, error: errors.join('; ') }
      : { f: 'stop-packet-delay', value };
  };

  return {
    fs: ['start-packet-delay', 'stop-packet-delay'],
    setup: async () => {},
    invoke: (op) => serial(() => (op.f === 'start-packet-delay' ? start(op) : stop())),
    teardown: () =>
      serial(async () => {
        if (applied.size === 0) return [];
        const done = await stop();
        if (done.error !== undefined) throw new NemesisHealError([`packet delay: ${done.error}`]);
        return [done];
      }),
  };
}
