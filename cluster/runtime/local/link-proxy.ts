/**
 * The link proxy: one listener in front of each node's peer port, so every node-to-node
 * connection passes through here (as etcd's robustness tests put a proxy in front of each
 * member). Each accepted connection is tied to its directed links (dialer -> node for what the
 * dialer sends, node -> dialer for the answers) and forwarded through two LinkPipes that obey
 * the faults in force. Faults come in layers that add up, as iptables chains do.
 *
 * A new connection across a cut link waits, as a SYN that iptables drops does: the kernel has
 * accepted it here, but the node behind is dialed only once both directions are open (a TCP
 * handshake needs both), and with packet loss only after the SYN retransmission waits (1 s,
 * doubling) its lost tries would cost.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { LinkEndpoint, LinkFault } from '../link-control.js';
import { DialerFinder } from './link-dialer.js';
import { LinkPipe } from './link-pipe.js';

/** Linux's first SYN retransmission timeout. */
const SYN_RTO_MS = 1000;
const MAX_SYN_RETRIES = 4;

/** Combines layered faults into one loss per directed link: independent losses multiply. */
export function combineLinkFaults(layers: Iterable<readonly LinkFault[]>): Map<string, number> {
  const pass = new Map<string, number>();
  for (const faults of layers) {
    for (const f of faults) {
      if (!(f.loss >= 0 && f.loss <= 1))
        throw new Error(`link ${f.from}->${f.to}: loss must be in [0, 1], got ${f.loss}`);
      const key = linkKey(f.from, f.to);
      pass.set(key, (pass.get(key) ?? 1) * (1 - f.loss));
    }
  }
  return new Map([...pass].map(([k, p]) => [k, 1 - p]));
}

function linkKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** Options of the proxy: the nodes (name -> address), the run id, where to log, and the loss draws. */
export interface LinkProxyOptions {
  nodes: ReadonlyMap<string, string>;
  runId: string;
  log: (line: string) => void;
  /** Uniform draws in [0, 1) deciding which chunks and handshakes are lost; default Math.random. */
  rng?: () => number;
}

/** The proxy's state: listeners, live pipes, faults per layer. */
export class LinkProxy {
  private readonly listeners = new Map<string, { server: Server; endpoint: LinkEndpoint }>();
  private readonly pipes = new Set<LinkPipe>();
  private readonly layers = new Map<string, LinkFault[]>();
  private loss = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private readonly dialers: DialerFinder;
  private readonly rng: () => number;

  constructor(private readonly opts: LinkProxyOptions) {
    this.dialers = new DialerFinder(opts.nodes, opts.runId);
    this.rng = opts.rng ?? Math.random;
  }

  /** Opens (once) the listener in front of `port` on `node` and returns where it listens. */
  async route(node: string, port: number): Promise<LinkEndpoint> {
    const address = this.opts.nodes.get(node);
    if (address === undefined) throw new Error(`no node named ${node}`);
    const key = `${node}:${port}`;
    const known = this.listeners.get(key);
    if (known) return known.endpoint;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => void this.accept(s, node, port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, address, () => resolve());
    });
    const bound = server.address();
    if (bound === null || typeof bound === 'string') throw new Error('the proxy listener has no TCP address');
    const endpoint = { host: address, port: bound.port };
    this.listeners.set(key, { server, endpoint });
    this.opts.log(`route ${node}:${port} via ${address}:${bound.port}`);
    return endpoint;
  }

  /** Replaces one layer's faults and applies the new losses to every open connection. */
  setFaults(layer: string, faults: readonly LinkFault[]): void {
    const next = new Map(this.layers);
    if (faults.length === 0) next.delete(layer);
    else next.set(layer, [...faults]);
    // Combined first: a bad loss value throws before anything in force changes.
    this.loss = combineLinkFaults(next.values());
    this.layers.clear();
    for (const [k, v] of next) this.layers.set(k, v);
    this.opts.log(`faults ${layer}: ${faults.map((f) => `${f.from}->${f.to} ${f.loss}`).join(', ') || 'none'}`);
    for (const p of this.pipes) p.poke();
    for (const w of [...this.waiters]) w();
  }

  /** The faults in force, per layer. */
  faults(): Record<string, LinkFault[]> {
    return Object.fromEntries(this.layers);
  }

  /** The loss in force on the directed link `from` -> `to` (0 when either end is unknown). */
  lossOf(from: string | undefined, to: string | undefined): number {
    if (from === undefined || to === undefined || from === to) return 0;
    return this.loss.get(linkKey(from, to)) ?? 0;
  }

  /** Stops accepting connections (the proxy process exits right after). */
  close(): void {
    for (const { server } of this.listeners.values()) server.close();
  }

  private async accept(client: Socket, node: string, port: number): Promise<void> {
    client.on('error', () => {});
    const dialer = await this.dialers.identify(
      { address: client.remoteAddress ?? '', port: client.remotePort ?? 0 },
      { address: client.localAddress ?? '', port: client.localPort ?? 0 },
    );
    if (dialer === undefined)
      this.opts.log(
        `connection from ${client.remoteAddress}:${client.remotePort} to ${node}: dialer unknown, not faulted`,
      );
    if (!(await this.handshake(client, dialer, node))) return;
    const upstream = connect({ host: this.opts.nodes.get(node)!, port, allowHalfOpen: true });
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    const refused = () => {
      // The node is down: the dialer gets the reset a refused connection would give.
      if (!client.destroyed) client.resetAndDestroy();
    };
    upstream.once('error', refused);
    upstream.once('connect', () => {
      // From here a reset from the node is passed on in order, held by a cut like any byte.
      upstream.off('error', refused);
      const out = new LinkPipe(client, upstream, () => this.lossOf(dialer, node), this.rng);
      const back = new LinkPipe(upstream, client, () => this.lossOf(node, dialer), this.rng);
      this.pipes.add(out).add(back);
      const forget = () => {
        if (!client.destroyed || !upstream.destroyed) return;
        this.pipes.delete(out);
        this.pipes.delete(back);
      };
      client.on('close', forget);
      upstream.on('close', forget);
    });
  }

  /** Waits as a TCP handshake across the links would; false if the dialer gave up meanwhile. */
  private async handshake(client: Socket, dialer: string | undefined, node: string): Promise<boolean> {
    let lost = 0;
    for (;;) {
      if (client.destroyed || client.readableEnded) return false;
      const there = this.lossOf(dialer, node);
      const back = this.lossOf(node, dialer);
      if (there >= 1 || back >= 1) {
        await this.nextChangeOr(client);
        continue;
      }
      const success = (1 - there) * (1 - back);
      if (lost < MAX_SYN_RETRIES && this.rng() >= success) {
        await new Promise((r) => setTimeout(r, SYN_RTO_MS * 2 ** lost));
        lost++;
        continue;
      }
      return true;
    }
  }

  private nextChangeOr(client: Socket): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        client.off('close', done);
        resolve();
      };
      this.waiters.add(done);
      client.once('close', done);
    });
  }
}
