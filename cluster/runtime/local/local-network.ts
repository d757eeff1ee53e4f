/**
 * The network of a local run when running as root with iproute2 and iptables: a bridge with
 * the host's address on it, one network namespace per node joined to it by a veth pair, and a
 * FORWARD accept rule for traffic between the bridge's ports (Docker sets FORWARD's policy to
 * DROP and loads br_netfilter, so bridged packets pass through that chain). Nodes get no default
 * route: they reach each other and the host, nothing else.
 */
import { execa } from 'execa';
import { NAME_PREFIX } from '../run-tag.js';
import { RULE_COMMENT_PREFIX } from '../host-sweep.js';
import { cidrsOverlap, type Subnet } from '../subnet.js';
import { networkInterfaces } from 'node:os';

/** Names of what a local run creates for its nodes. */
export interface LocalNetworkPlan {
  bridge: string;
  subnet: Subnet;
  /** Per node, in order: namespace name, host-side veth name, address. */
  nodes: { name: string; namespace: string; veth: string; address: string }[];
  /** The FORWARD rule's arguments after the chain name. */
  forwardRule: string[];
}

/** Works out names and addresses for a run's nodes. */
export function planLocalNetwork(tag: string, nodeNames: string[], subnet: Subnet): LocalNetworkPlan {
  const bridge = `${NAME_PREFIX}${tag}`;
  return {
    bridge,
    subnet,
    nodes: nodeNames.map((name, i) => ({
      name,
      namespace: `${bridge}-${/^[a-z0-9]{1,12}$/.test(name) ? name : `n${i + 1}`}`,
      veth: `${bridge}-${i + 1}`,
      address: subnet.nodeAddress(i),
    })),
    forwardRule: [
      '-i',
      bridge,
      '-o',
      bridge,
      '-m',
      'comment',
      '--comment',
      `${RULE_COMMENT_PREFIX}${tag}`,
      '-j',
      'ACCEPT',
    ],
  };
}

/** The subnet picked for a run turned out to be in use; pick another. */
export class SubnetTakenError extends Error {}

async function ip(args: string[]): Promise<void> {
  const r = await execa('ip', args, { reject: false });
  if (r.failed) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr || r.message}`);
}

/** Creates the bridge, namespaces, veths, addresses and the FORWARD rule of a plan. */
export async function createLocalNetwork(plan: LocalNetworkPlan): Promise<void> {
  await ip(['link', 'add', plan.bridge, 'type', 'bridge']);
  await ip(['addr', 'add', `${plan.subnet.gateway}/24`, 'dev', plan.bridge]);
  await ip(['link', 'set', plan.bridge, 'up']);
  // Another run may have taken the same subnet between our look and our claim: the kernel
  // accepts both, and routing would then be ambiguous. Give it up and let the caller pick again.
  const clash = Object.entries(networkInterfaces()).find(
    ([name, addrs]) =>
      name !== plan.bridge &&
      (addrs ?? []).some((a) => a.family === 'IPv4' && a.cidr && cidrsOverlap(a.cidr, plan.subnet.cidr)),
  );
  if (clash) {
    await execa('ip', ['link', 'del', plan.bridge], { reject: false });
    throw new SubnetTakenError(`${plan.subnet.cidr} is also on ${clash[0]}`);
  }
  const rule = await execa('iptables', ['-I', 'FORWARD', ...plan.forwardRule], { reject: false });
  if (rule.failed) throw new Error(`iptables -I FORWARD failed: ${rule.stderr}`);
  await Promise.all(
    plan.nodes.map(async (n) => {
      await ip(['netns', 'add', n.namespace]);
      await ip(['link', 'add', n.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.namespace]);
      await ip(['link', 'set', n.veth, 'master', plan.bridge, 'up']);
      await ip(['-n', n.namespace, 'addr', 'add', `${n.address}/24`, 'dev', 'eth0']);
      await ip(['-n', n.namespace, 'link', 'set', 'eth0', 'up']);
      await ip(['-n', n.namespace, 'link', 'set', 'lo', 'up']);
    }),
  );
}
