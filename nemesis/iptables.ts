/**
 * iptables rule sets computed from a grudge or a packet-loss plan, as pure data and as the
 * `iptables-restore --noflush` scripts that apply and heal them. splitbrain owns one chain per
 * fault kind in each node, jumped to from INPUT and OUTPUT; it never touches other chains'
 * rules, so a node's own firewall (Docker's, say) is left as it was. Heal deletes exactly the
 * rules that were added, then the jumps, then the chain.
 */
import type { Grudge } from './grudge.js';

/** The chain partition rules live in. */
export const PARTITION_CHAIN = 'SPLITBRAIN-PARTITION';
/** The chain packet-loss rules live in. */
export const PACKET_CHAIN = 'SPLITBRAIN-PACKET';
/** The chain the figure-8 move's cuts live in (apart from partitions, so both can be in force). */
export const FIGURE8_CHAIN = 'SPLITBRAIN-FIG8';
/** The chain the figure-8 move's packet loss lives in. */
export const FIGURE8_LOSS_CHAIN = 'SPLITBRAIN-FIG8-LOSS';
/** Every chain splitbrain may create, for sweeping a node a crashed run left dirty. */
export const OWNED_CHAINS = [PARTITION_CHAIN, PACKET_CHAIN, FIGURE8_CHAIN, FIGURE8_LOSS_CHAIN] as const;
/** Built-in chains that jump to ours. */
const HOOKS = ['INPUT', 'OUTPUT'] as const;

/** One rule's match and target, as iptables argv after `-A CHAIN`, e.g. ["-s", "10.0.0.2/32", "-j", "DROP"]. */
export type IptablesRule = readonly string[];

/** The rules one node gets, keyed by node name. Nodes without rules are absent. */
export type NodeRules = Readonly<Record<string, readonly IptablesRule[]>>;

const host = (address: string): string => `${address}/32`;

/**
 * Computes each node's DROP rules for a grudge. If `a` cannot hear `b`, `a` drops packets from
 * `b` (INPUT) and `b` drops packets to `a` (OUTPUT): the cut is enforced at both ends, and as a
 * `-s` rule only matches arriving packets and a `-d` rule only leaving ones, one chain jumped to
 * from both hooks serves both directions.
 */
export function computePartitionRules(grudge: Grudge, addresses: Readonly<Record<string, string>>): NodeRules {
  const out: Record<string, IptablesRule[]> = {};
  const add = (node: string, rule: IptablesRule): void => {
    (out[node] ??= []).push(rule);
  };
  for (const [deaf, unheard] of Object.entries(grudge)) {
    for (const sender of unheard) {
      add(deaf, ['-s', host(addressOf(addresses, sender)), '-j', 'DROP']);
      add(sender, ['-d', host(addressOf(addresses, deaf)), '-j', 'DROP']);
    }
  }
  return sortRules(out);
}

/**
 * Computes random-loss rules for each target: every packet between the target and another
 * node, either way (or, `inboundOnly`, only those arriving at the target), is dropped with the
 * given probability (iptables `statistic` match). Client
 * traffic from the host is not touched: the fault is on the links between nodes.
 */
export function computePacketLossRules(
  targets: readonly string[],
  addresses: Readonly<Record<string, string>>,
  probability: number,
  { inboundOnly = false }: { inboundOnly?: boolean } = {},
): NodeRules {
  if (!(probability > 0 && probability <= 1))
    throw new Error(`packet loss probability must be in (0, 1]: ${probability}`);
  const loss = ['-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP'];
  const out: Record<string, IptablesRule[]> = {};
  for (const target of targets) {
    for (const other of Object.keys(addresses).sort()) {
      if (other === target) continue;
      const a = host(addressOf(addresses, other));
      (out[target] ??= []).push(['-s', a, ...loss]);
      if (!inboundOnly) out[target].push(['-d', a, ...loss]);
    }
  }
  return sortRules(out);
}

/**
 * Renders the `iptables-restore --noflush` script that creates the chain, jumps to it first
 * from INPUT and OUTPUT, and appends the rules, in one atomic commit.
 */
export function renderApplyScript(chain: string, rules: readonly IptablesRule[]): string {
  return [
    '*filter',
    `:${chain} - [0:0]`,
    ...HOOKS.map((hook) => `-I ${hook} 1 -j ${chain}`),
    ...rules.map((r) => `-A ${chain} ${r.join(' ')}`),
    'COMMIT',
    '',
  ].join('\n');
}

/**
 * Renders the script that swaps the rules in force for new ones in one atomic commit (the chain
 * and its jumps stay), so no packet passes between the two rule sets.
 */
export function renderReplaceScript(
  chain: string,
  old: readonly IptablesRule[],
  rules: readonly IptablesRule[],
): string {
  return [
    '*filter',
    ...old.map((r) => `-D ${chain} ${r.join(' ')}`),
    ...rules.map((r) => `-A ${chain} ${r.join(' ')}`),
    'COMMIT',
    '',
  ].join('\n');
}

/**
 * Renders the script that deletes exactly the given rules, the jumps and the chain, in one
 * atomic commit; it fails as a whole if any of them is missing, and then the caller falls back
 * to `computeHealCommands` one by one.
 */
export function renderHealScript(chain: string, rules: readonly IptablesRule[]): string {
  return [
    '*filter',
    ...rules.map((r) => `-D ${chain} ${r.join(' ')}`),
    ...HOOKS.map((hook) => `-D ${hook} -j ${chain}`),
    `-X ${chain}`,
    'COMMIT',
    '',
  ].join('\n');
}

/** The same deletions as `renderHealScript`, as separate iptables argvs that may each fail alone. */
export function computeHealCommands(chain: string, rules: readonly IptablesRule[]): string[][] {
  return [
    ...rules.map((r) => ['iptables', '-w', '5', '-D', chain, ...r]),
    ...HOOKS.map((hook) => ['iptables', '-w', '5', '-D', hook, '-j', chain]),
    ['iptables', '-w', '5', '-X', chain],
  ];
}

/** Reads the lines of `iptables-save` (or `iptables -S`) that mention a chain. */
export function linesMentioning(iptablesSave: string, chain: string): string[] {
  const re = new RegExp(`(^|\\s|:)${chain.replace(/[-]/g, '\\-')}(\\s|$)`);
  return iptablesSave.split('\n').filter((l) => re.test(l));
}

/** Counts the rules appended to a chain in `iptables-save` / `iptables -S` output. */
export function countChainRules(iptablesSave: string, chain: string): number {
  return iptablesSave.split('\n').filter((l) => l.startsWith(`-A ${chain} `)).length;
}

/** Counts all rules in a NodeRules value. */
export function countRules(rules: NodeRules): number {
  return Object.values(rules).reduce((n, rs) => n + rs.length, 0);
}

function addressOf(addresses: Readonly<Record<string, string>>, node: string): string {
  const a = addresses[node];
  if (a === undefined) throw new Error(`no address known for node ${node}`);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(a)) throw new Error(`node ${node} has address ${a}; partitions need IPv4`);
  return a;
}

function sortRules(out: Record<string, IptablesRule[]>): NodeRules {
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k] as IptablesRule[]]),
  );
}
