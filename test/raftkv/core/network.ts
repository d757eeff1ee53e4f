/**
 * An in-process network of RawNodes for core tests (the network helper in etcd's raft_test.go):
 * messages are delivered synchronously until quiet, and links can be dropped, cut, isolated and
 * recovered. Each node persists to its MemoryStorage exactly as the contract says.
 */
import {
  MemoryStorage,
  RawNode,
  type BugName,
  type Entry,
  type Message,
  type NodeId,
  type Ready,
} from '../../../cluster/raftkv/core/index.js';

/** A seedable PRNG (mulberry32) so elections replay. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestNode {
  id: NodeId;
  rn: RawNode;
  storage: MemoryStorage;
  applied: Entry[];
}

export interface NetworkOptions {
  preVote?: boolean;
  checkQuorum?: boolean;
  bugs?: BugName[];
  seed?: number;
  maxEntriesPerMsg?: number;
}

/** N nodes wired together with a controllable network. */
export class Network {
  readonly nodes = new Map<NodeId, TestNode>();
  private readonly cut = new Set<string>();
  private readonly isolated = new Set<NodeId>();
  private dropRate = 0;
  private readonly rng: () => number;
  /** Every message delivered, for assertions. */
  readonly trace: Message[] = [];
  /** Called with each Ready before it is persisted (invariant checks hook in here). */
  onReady: ((n: TestNode, rd: Ready) => void) | undefined;

  constructor(
    readonly ids: NodeId[],
    readonly opts: NetworkOptions = {},
  ) {
    this.rng = seededRng((opts.seed ?? 1) * 7919);
    ids.forEach((id, i) => this.start(id, new MemoryStorage(ids), (opts.seed ?? 1) * 100 + i));
  }

  /** (Re)starts a node from a storage (a restart keeps only what was persisted). */
  start(id: NodeId, storage: MemoryStorage, seed = 42): TestNode {
    const rn = new RawNode({
      id,
      peers: this.ids,
      storage,
      rng: seededRng(seed),
      preVote: this.opts.preVote ?? false,
      checkQuorum: this.opts.checkQuorum ?? false,
      bugs: new Set(this.opts.bugs ?? []),
      maxEntriesPerMsg: this.opts.maxEntriesPerMsg,
    });
    const node: TestNode = { id, rn, storage, applied: [] };
    this.nodes.set(id, node);
    return node;
  }

  node(id: NodeId): TestNode {
    return this.nodes.get(id)!;
  }

  /** Restarts a node from what it persisted (its MemoryStorage), as after a crash. */
  restart(id: NodeId, seed = 7): TestNode {
    const old = this.node(id);
    const n = this.start(id, old.storage, seed);
    n.applied = [];
    return n;
  }

  /** Drops every message between a and b, both ways. */
  cutLink(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}|${b}`);
    this.cut.add(`${b}|${a}`);
  }

  isolate(id: NodeId): void {
    this.isolated.add(id);
  }

  /** Drops a random fraction of messages. */
  drop(rate: number): void {
    this.dropRate = rate;
  }

  recover(): void {
    this.cut.clear();
    this.isolated.clear();
    this.dropRate = 0;
  }

  private passes(m: Message): boolean {
    if (this.isolated.has(m.from) || this.isolated.has(m.to)) return false;
    if (this.cut.has(`${m.from}|${m.to}`)) return false;
    return !(this.dropRate > 0 && this.rng() < this.dropRate);
  }

  /** Handles one Ready of a node the contract's way; returns the messages it sent. */
  processReady(n: TestNode): Message[] {
    const rd = n.rn.ready();
    this.onReady?.(n, rd);
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    n.applied.push(...rd.committedEntries);
    n.rn.advance(rd);
    return rd.messages;
  }

  /** Delivers messages (and the ones they cause) until no node has anything to do. */
  stabilize(limit = 10_000): void {
    let queue: Message[] = [];
    for (let i = 0; i < limit; i++) {
      for (const n of this.nodes.values()) while (n.rn.hasReady()) queue.push(...this.processReady(n));
      if (queue.length === 0) return;
      const batch = queue;
      queue = [];
      for (const m of batch) {
        if (!this.passes(m)) continue;
        const to = this.nodes.get(m.to);
        if (!to) continue;
        this.trace.push(m);
        to.rn.step(m);
      }
    }
    throw new Error('network did not stabilize');
  }

  /** Makes `id` campaign and settles. */
  campaign(id: NodeId): void {
    this.node(id).rn.campaign();
    this.stabilize();
  }

  /** Ticks every node once and settles. */
  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) {
      for (const node of this.nodes.values()) node.rn.tick();
      this.stabilize();
    }
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()].filter((n) => n.rn.status().role === 'leader').map((n) => n.id);
  }
}
