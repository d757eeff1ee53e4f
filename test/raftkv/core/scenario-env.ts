/**
 * A small datadriven harness for the Raft core, after etcd raft's rafttest InteractionEnv: a
 * scenario file is a header comment and a list of commands, each followed by `----` and the
 * output it must print. Set REWRITE=1 to regenerate the expected output for review.
 */
import {
  MemoryStorage,
  RawNode,
  describeEntry,
  describeMessage,
  describeReady,
  type BugName,
  type Entry,
  type Message,
  type NodeId,
} from '../../../cluster/raftkv/core/index.js';
import { seededRng } from './network.js';

/** One command block of a scenario file. */
export interface ScenarioCase {
  line: number;
  cmd: string;
  args: string[];
  kv: Map<string, string>;
  expected: string;
}

/** Splits a scenario file into cases (blank-line separated; `#` lines before a command are comments). */
export function parseScenario(text: string): ScenarioCase[] {
  const lines = text.split('\n');
  const cases: ScenarioCase[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!.trim();
    if (l === '' || l.startsWith('#')) {
      i++;
      continue;
    }
    const line = i + 1;
    const words = l.split(/\s+/);
    const args: string[] = [];
    const kv = new Map<string, string>();
    for (const w of words.slice(1)) {
      const eq = w.indexOf('=');
      if (eq > 0) kv.set(w.slice(0, eq), w.slice(eq + 1));
      else args.push(w);
    }
    i++;
    if (lines[i]?.trim() !== '----') throw new Error(`line ${line}: expected ---- after "${l}"`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i] !== '') {
      out.push(lines[i]!);
      i++;
    }
    cases.push({ line, cmd: words[0]!, args, kv, expected: out.join('\n') });
  }
  return cases;
}

/** Renders cases back to a file, with the given outputs. */
export function renderScenario(header: string, cases: ScenarioCase[], outputs: string[]): string {
  const blocks = cases.map((c, i) => {
    const kv = [...c.kv].map(([k, v]) => `${k}=${v}`);
    return `${[c.cmd, ...c.args, ...kv].join(' ')}\n----\n${outputs[i] === '' ? 'ok' : outputs[i]}`;
  });
  return `${header.trimEnd()}\n\n${blocks.join('\n\n')}\n`;
}

interface EnvNode {
  id: NodeId;
  rn: RawNode;
  storage: MemoryStorage;
  applied: Entry[];
}

/** The state a scenario runs against: nodes, an in-flight message list and link rules. */
export class ScenarioEnv {
  private nodes = new Map<NodeId, EnvNode>();
  private ids: NodeId[] = [];
  private inflight: Message[] = [];
  private cut = new Set<string>();
  private opts = { preVote: false, checkQuorum: false, bugs: [] as BugName[], maxEntries: 64 };

  /** Runs one command and returns its output. */
  handle(c: ScenarioCase): string {
    const out: string[] = [];
    const ids = c.args;
    switch (c.cmd) {
      case 'add-nodes': {
        const n = Number(ids[0]);
        this.opts.preVote = c.kv.get('prevote') === 'true';
        this.opts.checkQuorum = c.kv.get('checkquorum') === 'true';
        this.opts.bugs = (c.kv.get('bugs') ?? '').split(',').filter((b) => b !== '') as BugName[];
        this.opts.maxEntries = Number(c.kv.get('maxentries') ?? 64);
        this.ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
        for (const id of this.ids) this.boot(id, new MemoryStorage(this.ids));
        out.push(`added ${this.ids.join(' ')}`);
        break;
      }
      case 'campaign':
        this.node(ids[0]!).rn.campaign();
        break;
      case 'tick': {
        const count = Number(c.kv.get('n') ?? 1);
        for (const id of ids) for (let i = 0; i < count; i++) this.node(id).rn.tick();
        break;
      }
      case 'propose': {
        try {
          const r = this.node(ids[0]!).rn.propose(ids[1] ?? '');
          out.push(`proposed at index ${r.index} term ${r.term}`);
        } catch (e) {
          out.push(`error: ${(e as Error).name}: ${(e as Error).message}`);
        }
        break;
      }
      case 'read-index': {
        try {
          this.node(ids[0]!).rn.readIndex(ids[1]!);
        } catch (e) {
          out.push(`error: ${(e as Error).name}: ${(e as Error).message}`);
        }
        break;
      }
      case 'process-ready':
        for (const id of ids.length > 0 ? ids : this.ids) this.processReady(this.node(id), out);
        break;
      case 'deliver-msgs':
        this.deliver(new Set(ids.length > 0 ? ids : this.ids), out);
        break;
      case 'stabilize':
        for (let round = 0; round < 1000; round++) {
          let busy = false;
          for (const id of this.ids) if (this.processReady(this.node(id), out)) busy = true;
          if (this.inflight.length > 0) {
            busy = true;
            this.deliver(new Set(this.ids), out);
          }
          if (!busy) break;
        }
        break;
      case 'isolate':
        for (const other of this.ids) if (other !== ids[0]) this.cutLink(ids[0]!, other);
        break;
      case 'cut':
        this.cutLink(ids[0]!, ids[1]!);
        break;
      case 'recover':
        this.cut.clear();
        break;
      case 'crash': {
        // Only what process-ready persisted survives: MemoryStorage is the disk here.
        const n = this.node(ids[0]!);
        this.inflight = this.inflight.filter((m) => m.to !== n.id);
        this.boot(n.id, n.storage);
        out.push(`${n.id} restarted: ${this.describeStatus(n.id)}`);
        break;
      }
      case 'compact': {
        const n = this.node(ids[0]!);
        const index = Number(ids[1]);
        n.storage.createSnapshot(index, `state@${index}`);
        n.storage.compact(index);
        out.push(`${n.id} compacted to ${index}; first index ${n.storage.firstIndex()}`);
        break;
      }
      case 'raft-log':
        for (const id of ids) {
          const n = this.node(id);
          const ents = n.storage.entries(n.storage.firstIndex(), n.storage.lastIndex() + 1);
          out.push(`${id}: ${ents.length === 0 ? '(empty)' : ents.map(describeEntry).join(', ')}`);
        }
        break;
      case 'raft-state':
        for (const id of this.ids) out.push(`${id}: ${this.describeStatus(id)}`);
        break;
      case 'applied':
        for (const id of ids) out.push(`${id}: ${this.node(id).applied.map(describeEntry).join(', ') || '(none)'}`);
        break;
      default:
        throw new Error(`line ${c.line}: unknown command ${c.cmd}`);
    }
    return out.join('\n');
  }

  private boot(id: NodeId, storage: MemoryStorage): void {
    const applied = storage.snapshot().metadata.index;
    const rn = new RawNode({
      id,
      peers: this.ids,
      storage,
      rng: seededRng(this.ids.indexOf(id) + 1),
      preVote: this.opts.preVote,
      checkQuorum: this.opts.checkQuorum,
      bugs: new Set(this.opts.bugs),
      maxEntriesPerMsg: this.opts.maxEntries,
      applied,
    });
    this.nodes.set(id, { id, rn, storage, applied: [] });
  }

  private node(id: NodeId): EnvNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  private cutLink(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}|${b}`);
    this.cut.add(`${b}|${a}`);
  }

  private describeStatus(id: NodeId): string {
    const s = this.node(id).rn.status();
    return `${s.role} term=${s.term} vote=${s.vote || '-'} lead=${s.lead || '-'} commit=${s.commit} applied=${s.applied} last=${s.lastIndex}`;
  }

  private processReady(n: EnvNode, out: string[]): boolean {
    if (!n.rn.hasReady()) return false;
    const rd = n.rn.ready();
    out.push(`> ${n.id} handling Ready`);
    for (const l of describeReady(rd, { multiline: true }).split('\n')) out.push(`  ${l}`);
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    n.applied.push(...rd.committedEntries);
    this.inflight.push(...rd.messages);
    n.rn.advance(rd);
    return true;
  }

  private deliver(to: Set<NodeId>, out: string[]): void {
    const now = this.inflight.filter((m) => to.has(m.to));
    this.inflight = this.inflight.filter((m) => !to.has(m.to));
    for (const m of now) {
      if (this.cut.has(`${m.from}|${m.to}`)) {
        out.push(`  dropped: ${describeMessage(m)}`);
        continue;
      }
      this.node(m.to).rn.step(m);
    }
  }
}
