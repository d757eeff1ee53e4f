import { BUG_NAMES, type BugName, type NodeId } from '../core/index.js';

/** Everything a node process is told on its command line. */
export interface NodeArgs {
  id: NodeId;
  /** Every voter's peer (raft) listen address, including this node's own. */
  peers: Map<NodeId, { host: string; port: number }>;
  clientPort: number;
  /** Where the client and peer listeners bind; defaults to this node's own peer host. */
  listenHost: string;
  dataDir: string;
  bugs: BugName[];
  /** Milliseconds per Raft tick. */
  tickMs: number;
  /** Election timeout in ticks (randomized by the core between this and twice this). */
  electionTicks: number;
  heartbeatTicks: number;
  /** Take a snapshot and compact the WAL every this many applied entries. */
  snapshotEntries: number;
  /** Most log entries one append message carries. */
  maxEntriesPerMsg: number;
  /** Most append messages in flight to one follower before the leader waits for an answer. */
  maxInflightMsgs: number;
  /** Optional explicit client addresses of the peers (otherwise learned over the transport). */
  clientAddrs: Map<NodeId, string>;
}

/** Thrown for a bad command line; the message names the option and the bad value. */
export class ArgsError extends Error {}

export const USAGE =
  'usage: node dist/cluster/raftkv/node/main.js --id ID --peers ID=HOST:PORT,... --client-port P --data-dir DIR ' +
  '[--bug NAME ...] [--listen-host H] [--tick-ms 50] [--election-ticks 10] [--heartbeat-ticks 1] ' +
  '[--election-tick-ms MS] [--snapshot-entries 10000] [--max-entries-per-msg 512] [--max-inflight-msgs 1024] [--client-addrs ID=HOST:PORT,...]';

function parseAddrList(option: string, text: string): Map<NodeId, { host: string; port: number }> {
  const out = new Map<NodeId, { host: string; port: number }>();
  for (const item of text.split(',').filter((s) => s.length > 0)) {
    const m = /^([^=]+)=(.+):(\d+)$/.exec(item.trim());
    if (!m) throw new ArgsError(`${option}: expected ID=HOST:PORT, got "${item}"`);
    const port = Number(m[3]);
    if (port <= 0 || port > 65535) throw new ArgsError(`${option}: bad port in "${item}"`);
    if (out.has(m[1]!)) throw new ArgsError(`${option}: id "${m[1]}" given twice`);
    out.set(m[1]!, { host: m[2]!, port });
  }
  return out;
}

function parsePositiveInt(option: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n <= 0)
    throw new ArgsError(`${option}: expected a positive integer, got "${text ?? ''}"`);
  return n;
}

/** Parses a node's argv (without the node binary and script), throwing ArgsError on bad input. */
export function parseNodeArgs(argv: readonly string[]): NodeArgs {
  const raw = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new ArgsError(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    let name: string;
    let value: string | undefined;
    if (eq > 0 && !a.slice(2, eq).includes(',')) {
      name = a.slice(2, eq);
      value = a.slice(eq + 1);
    } else {
      name = a.slice(2);
      value = argv[++i];
      if (value === undefined) throw new ArgsError(`--${name}: missing value`);
    }
    raw.set(name, [...(raw.get(name) ?? []), value]);
  }
  const known = new Set([
    'id',
    'peers',
    'client-port',
    'data-dir',
    'bug',
    'listen-host',
    'tick-ms',
    'election-ticks',
    'heartbeat-ticks',
    'election-tick-ms',
    'snapshot-entries',
    'max-entries-per-msg',
    'max-inflight-msgs',
    'client-addrs',
  ]);
  for (const k of raw.keys()) if (!known.has(k)) throw new ArgsError(`unknown option --${k}\n${USAGE}`);
  const one = (k: string): string | undefined => {
    const v = raw.get(k);
    if (v && v.length > 1) throw new ArgsError(`--${k}: given ${v.length} times`);
    return v?.[0];
  };
  const id = one('id');
  if (!id) throw new ArgsError(`--id is required\n${USAGE}`);
  const peersText = one('peers');
  if (!peersText) throw new ArgsError(`--peers is required\n${USAGE}`);
  const peers = parseAddrList('--peers', peersText);
  const self = peers.get(id);
  if (!self) throw new ArgsError(`--peers: does not list this node's id "${id}"`);
  const dataDir = one('data-dir');
  if (!dataDir) throw new ArgsError(`--data-dir is required\n${USAGE}`);
  const clientPort = parsePositiveInt('--client-port', one('client-port'));
  const bugs: BugName[] = [];
  for (const b of raw.get('bug') ?? []) {
    for (const name of b.split(',').filter((s) => s.length > 0)) {
      if (!(BUG_NAMES as readonly string[]).includes(name))
        throw new ArgsError(`--bug: unknown bug "${name}"; one of ${BUG_NAMES.join(', ')}`);
      if (!bugs.includes(name as BugName)) bugs.push(name as BugName);
    }
  }
  const tickMs = one('tick-ms') === undefined ? 50 : parsePositiveInt('--tick-ms', one('tick-ms'));
  let electionTicks =
    one('election-ticks') === undefined ? 10 : parsePositiveInt('--election-ticks', one('election-ticks'));
  const electionMs = one('election-tick-ms');
  if (electionMs !== undefined) {
    // --election-tick-ms is the base election timeout in milliseconds, converted to whole ticks.
    electionTicks = Math.max(2, Math.round(parsePositiveInt('--election-tick-ms', electionMs) / tickMs));
  }
  const heartbeatTicks =
    one('heartbeat-ticks') === undefined ? 1 : parsePositiveInt('--heartbeat-ticks', one('heartbeat-ticks'));
  if (heartbeatTicks >= electionTicks)
    throw new ArgsError(
      `--heartbeat-ticks (${heartbeatTicks}) must be below the election timeout (${electionTicks} ticks)`,
    );
  const snapshotEntries =
    one('snapshot-entries') === undefined ? 10_000 : parsePositiveInt('--snapshot-entries', one('snapshot-entries'));
  const maxEntriesPerMsg =
    one('max-entries-per-msg') === undefined
      ? 512
      : parsePositiveInt('--max-entries-per-msg', one('max-entries-per-msg'));
  const maxInflightMsgs =
    one('max-inflight-msgs') === undefined ? 1024 : parsePositiveInt('--max-inflight-msgs', one('max-inflight-msgs'));
  const clientAddrs = new Map<NodeId, string>();
  const ca = one('client-addrs');
  if (ca !== undefined)
    for (const [k, v] of parseAddrList('--client-addrs', ca)) clientAddrs.set(k, `${v.host}:${v.port}`);
  return {
    id,
    peers,
    clientPort,
    listenHost: one('listen-host') ?? self.host,
    dataDir,
    bugs,
    tickMs,
    electionTicks,
    heartbeatTicks,
    snapshotEntries,
    maxEntriesPerMsg,
    maxInflightMsgs,
    clientAddrs,
  };
}
