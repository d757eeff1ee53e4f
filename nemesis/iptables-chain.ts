/**
 * Applies and heals one splitbrain-owned iptables chain across the nodes of a cluster, keeping
 * the record of exactly which rules are in force where. Rules go in with one atomic
 * `iptables-restore --noflush` per node; what is in force is then read back from the node, so
 * "injected" counts rules the kernel holds, not rules we meant to add. The nemeses built on a
 * chain (partition, packet loss) share its setup sweep, stop op and teardown from here.
 */
import type { StartedCluster, StartedNode } from '../cluster/runtime/index.js';
import { NemesisHealError } from './errors.js';
import {
  computeHealCommands,
  countChainRules,
  linesMentioning,
  type IptablesRule,
  type NodeRules,
  renderApplyScript,
  renderHealScript,
  renderReplaceScript,
} from './iptables.js';
import { completeOp, type CompletedNemesisOp } from './nemesis.js';

const EXEC_TIMEOUT_MS = 20_000;

/** The outcome of applying or healing on every node: counts, per-node rules, and failures. */
export interface ChainOutcome {
  /** Rules in force (after apply) or removed (after heal), per node, as `iptables -S` would print them. */
  rules: Record<string, string[]>;
  count: number;
  errors: string[];
}

/** One chain's state across a cluster. Not safe for concurrent calls: callers serialize. */
export class IptablesChain {
  /** node -> rules this object added and has not yet removed. */
  private readonly active = new Map<string, readonly IptablesRule[]>();

  constructor(
    private readonly cluster: StartedCluster,
    readonly chain: string,
  ) {}

  /** True while any node holds rules this object added. */
  get inForce(): boolean {
    return this.active.size > 0;
  }

  /** Nodes holding rules this object added. */
  nodes(): string[] {
    return [...this.active.keys()].sort();
  }

  /**
   * Puts exactly these rules in force and reads back how many each node's chain now holds. Rules
   * already in force are replaced in the same atomic commit per node, so moving from one partition
   * to the next never opens a link both leave cut (a healed gap would let a lagging node catch up);
   * a node that had rules and gets none is healed.
   */
  async apply(rules: NodeRules): Promise<ChainOutcome> {
    const out: ChainOutcome = { rules: {}, count: 0, errors: [] };
    const dropped = [...this.active.keys()].filter((name) => !(name in rules));
    if (dropped.length > 0) out.errors.push(...(await this.healNodes(dropped)).errors);
    await Promise.all(
      Object.entries(rules).map(async ([name, nodeRules]) => {
        const node = this.cluster.node(name);
        try {
          const old = this.active.get(name);
          // Recorded before the exec: if it half-fails or times out, heal still tries to remove it.
          this.active.set(name, old === undefined ? nodeRules : [...old, ...nodeRules]);
          const script =
            old === undefined
              ? renderApplyScript(this.chain, nodeRules)
              : renderReplaceScript(this.chain, old, nodeRules);
          await run(node, ['iptables-restore', '-w', '5', '--noflush'], script);
          this.active.set(name, nodeRules);
          const listed = await run(node, ['iptables', '-w', '5', '-S', this.chain]);
          const held = countChainRules(listed, this.chain);
          out.rules[name] = listed.split('\n').filter((l) => l.startsWith(`-A ${this.chain} `));
          out.count += held;
          if (held !== nodeRules.length) out.errors.push(`${name}: ${held} of ${nodeRules.length} rules in force`);
        } catch (e) {
          out.errors.push(`${name}: ${message(e)}`);
        }
      }),
    );
    return out;
  }

  /**
   * Removes exactly the rules this object added, the jumps and the chain, on every node that
   * has them; falls back to deleting one by one when the atomic script fails (say a rule was
   * already gone), and verifies the chain is gone afterwards.
   */
  async heal(): Promise<ChainOutcome> {
    return this.healNodes([...this.active.keys()]);
  }

  /** Heals the named nodes (see `heal`). */
  private async healNodes(names: readonly string[]): Promise<ChainOutcome> {
    const out: ChainOutcome = { rules: {}, count: 0, errors: [] };
    await Promise.all(
      names.map(async (name) => {
        const nodeRules = this.active.get(name) ?? [];
        const node = this.cluster.node(name);
        try {
          let removed = nodeRules.length;
          try {
            await run(node, ['iptables-restore', '-w', '5', '--noflush'], renderHealScript(this.chain, nodeRules));
          } catch {
            removed = 0;
            for (const [i, argv] of computeHealCommands(this.chain, nodeRules).entries()) {
              const r = await node.exec(argv, { timeoutMs: EXEC_TIMEOUT_MS }).catch(() => undefined);
              if (i < nodeRules.length && r?.exitCode === 0) removed++;
            }
          }
          const left = linesMentioning(await run(node, ['iptables-save', '-t', 'filter']), this.chain);
          if (left.length > 0) throw new Error(`still present after heal: ${left.join(' | ')}`);
          out.rules[name] = nodeRules.map((r) => `-A ${this.chain} ${r.join(' ')}`);
          out.count += removed;
          this.active.delete(name);
        } catch (e) {
          out.errors.push(`${name}: ${message(e)}`);
        }
      }),
    );
    return out;
  }

  /**
   * Heals and reports it as the stop op `f`: `healed` counts the rules removed, `nodes` says
   * where, and `detail` (what the fault was) is added to the value.
   */
  async healOp(f: string, detail: Record<string, unknown> = {}): Promise<CompletedNemesisOp> {
    const nodes = this.nodes();
    const r = await this.heal();
    return completeOp(f, { healed: r.count, nodes, ...detail }, r.errors);
  }

  /**
   * A chain nemesis's teardown: runs its stop op if rules are in force; if that leaves some,
   * sweeps the chain, and throws a NemesisHealError (prefixed with `label`) only when even the
   * sweep left rules behind. Callers serialize it behind any invoke in flight.
   */
  async teardown(stop: () => Promise<CompletedNemesisOp>, label: string): Promise<CompletedNemesisOp[]> {
    if (!this.inForce) return [];
    const done = await stop();
    if (done.error === undefined) return [done];
    const left = this.inForce ? await this.sweep() : [];
    if (this.inForce) throw new NemesisHealError([`${label}: ${done.error}`, ...left]);
    return [done];
  }

  /** Removes the chain from every node of the cluster, left there by a crashed run: we own it. */
  async sweepLeftovers(): Promise<void> {
    await Promise.all(this.cluster.nodes.map((n) => sweepChain(n, this.chain)));
  }

  /**
   * Last resort after a failed heal: removes the whole chain (jumps, rules, chain) from every
   * node still recorded as holding rules. Safe because splitbrain owns the chain.
   */
  async sweep(): Promise<string[]> {
    const errors: string[] = [];
    for (const name of this.nodes()) {
      try {
        await sweepChain(this.cluster.node(name), this.chain);
        this.active.delete(name);
      } catch (e) {
        errors.push(`${name}: ${message(e)}`);
      }
    }
    return errors;
  }
}

/**
 * Removes a splitbrain chain a crashed run left in a node: the jumps to it, its rules and the
 * chain. Flushing is safe because splitbrain owns the chain; nothing else is touched. Returns
 * the lines removed.
 */
export async function sweepChain(node: StartedNode, chain: string): Promise<string[]> {
  const lines = linesMentioning(await run(node, ['iptables-save', '-t', 'filter']), chain);
  if (lines.length === 0) return [];
  for (const line of lines) {
    const m = /^-A (\S+) (.*)$/.exec(line);
    if (m !== null && m[1] !== chain) {
      await run(node, ['iptables', '-w', '5', '-D', m[1] as string, ...(m[2] as string).split(' ')]);
    }
  }
  await run(node, ['iptables', '-w', '5', '-F', chain]);
  await run(node, ['iptables', '-w', '5', '-X', chain]);
  return lines;
}

async function run(node: StartedNode, argv: string[], input?: string): Promise<string> {
  const r = await node.exec(
    argv,
    input === undefined ? { timeoutMs: EXEC_TIMEOUT_MS } : { timeoutMs: EXEC_TIMEOUT_MS, input },
  );
  if (r.exitCode !== 0) {
    throw new Error(`${argv[0]} exited ${r.exitCode}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  }
  return r.stdout;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
