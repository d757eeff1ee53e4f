/**
 * Partitions and packet loss through the runtime's link proxy, for clusters whose nodes cannot
 * take iptables rules (local nodes without root share the host's network stack). A grudge or a
 * loss plan becomes directed link faults, held in one layer of the proxy per fault kind, so a
 * partition and packet loss add up as their iptables chains do. ProxyLinkLayer offers what the
 * partition and packet nemeses use of an IptablesChain, so each picks one or the other once.
 */
import type { LinkControl, LinkFault } from '../cluster/runtime/index.js';
import type { ChainOutcome } from './iptables-chain.js';
import { NemesisHealError } from './errors.js';
import type { Grudge } from './grudge.js';
import { completeOp, type CompletedNemesisOp } from './nemesis.js';

/** The link faults of a grudge: every node cuts off the links from the nodes it cannot hear. */
export function grudgeLinkFaults(grudge: Grudge): LinkFault[] {
  return Object.entries(grudge).flatMap(([deaf, unheard]) => unheard.map((from) => ({ from, to: deaf, loss: 1 })));
}

/**
 * The link faults of packet loss on `targets`: every link between a target and another node,
 * both ways (or, `inboundOnly`, only into the target), loses with `probability` (twice over between two targets, as a packet passes the
 * iptables rules of both).
 */
export function packetLossLinkFaults(
  targets: readonly string[],
  nodes: readonly string[],
  probability: number,
  { inboundOnly = false }: { inboundOnly?: boolean } = {},
): LinkFault[] {
  if (!(probability > 0 && probability <= 1))
    throw new Error(`packet loss probability must be in (0, 1]: ${probability}`);
  return targets.flatMap((t) =>
    nodes
      .filter((n) => n !== t)
      .flatMap((n) => [
        { from: n, to: t, loss: probability },
        ...(inboundOnly ? [] : [{ from: t, to: n, loss: probability }]),
      ]),
  );
}

/** One line per link fault, as the history records it: `n1->n2 cut` or `n1->n2 loss 0.2`. */
export function describeLinkFault(f: LinkFault): string {
  return `${f.from}->${f.to} ${f.loss >= 1 ? 'cut' : `loss ${f.loss}`}`;
}

/** One layer of link faults in the proxy. Not safe for concurrent calls: callers serialize. */
export class ProxyLinkLayer {
  private active: LinkFault[] = [];

  constructor(
    private readonly links: LinkControl,
    /** The proxy layer's name, e.g. "partition". */
    readonly layer: string,
  ) {}

  /** True while this layer holds faults. */
  get inForce(): boolean {
    return this.active.length > 0;
  }

  /** Nodes at the receiving end of a fault in force. */
  nodes(): string[] {
    return [...new Set(this.active.map((f) => f.to))].sort();
  }

  /** Puts the faults in force and reads back what the proxy holds (`rules` keyed by receiving node). */
  async apply(faults: readonly LinkFault[]): Promise<ChainOutcome> {
    const out: ChainOutcome = { rules: {}, count: 0, errors: [] };
    try {
      // Recorded before the call: if it fails midway, heal still clears the layer.
      this.active = [...faults];
      await this.links.setLinkFaults(this.layer, faults);
      const held = (await this.links.linkFaults())[this.layer] ?? [];
      for (const f of held) (out.rules[f.to] ??= []).push(describeLinkFault(f));
      out.count = held.length;
      if (held.length !== faults.length) out.errors.push(`${held.length} of ${faults.length} link faults in force`);
    } catch (e) {
      out.errors.push(message(e));
    }
    return out;
  }

  /** Clears the layer and checks the proxy holds nothing of it any more. */
  async heal(): Promise<ChainOutcome> {
    const out: ChainOutcome = { rules: {}, count: 0, errors: [] };
    try {
      await this.links.setLinkFaults(this.layer, []);
      const left = (await this.links.linkFaults())[this.layer] ?? [];
      if (left.length > 0) throw new Error(`still in force after heal: ${left.map(describeLinkFault).join(', ')}`);
      for (const f of this.active) (out.rules[f.to] ??= []).push(describeLinkFault(f));
      out.count = this.active.length;
      this.active = [];
    } catch (e) {
      out.errors.push(message(e));
    }
    return out;
  }

  /** Heals and reports it as the stop op `f`, with `detail` (what the fault was) added. */
  async healOp(f: string, detail: Record<string, unknown> = {}): Promise<CompletedNemesisOp> {
    const nodes = this.nodes();
    const r = await this.heal();
    return completeOp(f, { healed: r.count, nodes, ...detail }, r.errors);
  }

  /** A nemesis's teardown: runs its stop op when faults are in force; throws when they stay. */
  async teardown(stop: () => Promise<CompletedNemesisOp>, label: string): Promise<CompletedNemesisOp[]> {
    if (!this.inForce) return [];
    const done = await stop();
    if (done.error !== undefined && this.inForce) throw new NemesisHealError([`${label}: ${done.error}`]);
    return [done];
  }

  /** Clears the layer, which an earlier nemesis on this cluster (`cluster up`) may have left. */
  async sweepLeftovers(): Promise<void> {
    await this.links.setLinkFaults(this.layer, []);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
