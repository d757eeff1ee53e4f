/**
 * A relay stands in a node's place for a Maelstrom binary: it runs the binary (NodeProcess),
 * listens on the node's address for other relays, splitbrain's clients and the DB's control
 * connection, and routes each line the binary prints by its `dest`: to a peer's relay over real
 * TCP, back to the client connection that id wrote from, or to the binary itself. Calls to
 * Maelstrom's services are refused with error 10. The DB drives the binary's lifecycle (start,
 * kill, pause, resume, shutdown) over the control connection and hears about problems there.
 */
import net from 'node:net';
import { readLines } from '../line-reader.js';
import { lineWriter, type LineWriter } from '../line-writer.js';
import { ERROR, SERVICES, type Message } from '../protocol.js';
import type { ControlReply, ControlRequest, Hello, RelayConfig, RelayEvent } from '../relay-wire.js';
import { NodeProcess } from './node-process.js';
import { PeerLinks } from './peer-links.js';

/** A running relay. */
export class Relay {
  private readonly server: net.Server;
  private readonly proc: NodeProcess;
  private readonly peers: PeerLinks;
  /** Client id -> the connection it last wrote from. */
  private readonly clients = new Map<string, net.Socket>();
  private readonly writers = new WeakMap<net.Socket, LineWriter>();
  private readonly connections = new Set<net.Socket>();
  private toControl: LineWriter | undefined;
  private record = false;
  private seq = 0;
  private readonly refusedServices = new Set<string>();
  private garbageLines = 0;

  constructor(private readonly config: RelayConfig) {
    this.proc = new NodeProcess(config, {
      message: (m, line) => this.route(m, line),
      // The first such line fails the run; reporting every one would flood the log.
      garbage: (_line, why) => {
        if (this.garbageLines++ > 0) return;
        this.emit({
          event: 'problem',
          text: `${config.node}: the binary printed a line that is not a message: ${why}`,
          stderr: this.proc.stderrTail(),
        });
      },
      exited: (pid, code) => this.emit({ event: 'exit', pid, code, stderr: this.proc.stderrTail() }),
    });
    this.peers = new PeerLinks(config.node, config.listen.host, config.peers, (peer, why) =>
      this.log(`dropping messages to ${peer}: ${why}`),
    );
    this.server = net.createServer({ noDelay: true }, (s) => this.accept(s));
  }

  /** Starts listening; resolves once the port is bound. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.listen.port, this.config.listen.host, () => resolve());
    });
  }

  /** Kills the binary, closes every connection and the listener. */
  async shutdown(): Promise<void> {
    await this.proc.kill();
    this.peers.close();
    for (const s of this.connections) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(s: net.Socket): void {
    this.connections.add(s);
    s.on('close', () => this.connections.delete(s));
    s.on('error', () => undefined);
    let kind: Hello | undefined;
    readLines(s, (line) => {
      if (kind === undefined) {
        try {
          kind = JSON.parse(line) as Hello;
        } catch {
          s.destroy();
          return;
        }
        if (kind.hello === 'control') this.attachControl(s, kind.record === true);
        if (kind.hello === 'client') s.once('close', () => this.forgetClients(s));
        return;
      }
      switch (kind.hello) {
        case 'peer':
          return this.fromPeer(kind.node, line);
        case 'client':
          return this.fromClient(s, line);
        case 'control':
          return void this.handleControl(s, line);
      }
    });
  }

  private fromPeer(from: string, frame: string): void {
    const tab = frame.indexOf('\t');
    const line = frame.slice(tab + 1);
    if (this.record)
      this.emit({ event: 'recv', time: wallMs(), id: `${from}#${frame.slice(0, tab)}`, from, to: this.config.node });
    this.proc.write(line);
  }

  private fromClient(s: net.Socket, line: string): void {
    let src: unknown;
    try {
      src = (JSON.parse(line) as Partial<Message>).src;
    } catch {
      return;
    }
    if (typeof src !== 'string') return;
    if (this.clients.get(src) !== s) this.clients.set(src, s);
    this.proc.write(line);
  }

  /** Forgets the client ids that last wrote from a connection that has closed. */
  private forgetClients(s: net.Socket): void {
    for (const [id, socket] of this.clients) if (socket === s) this.clients.delete(id);
  }

  /** Routes one message the binary printed. */
  private route(m: Message, line: string): void {
    const dest = m.dest;
    if (dest === this.config.node) return this.proc.write(line);
    if (this.peers.has(dest)) {
      const seq = ++this.seq;
      if (this.record)
        this.emit({
          event: 'send',
          time: wallMs(),
          id: `${this.config.node}#${seq}`,
          from: this.config.node,
          to: dest,
          body: m.body,
        });
      this.peers.send(dest, `${seq}\t${line}`);
      return;
    }
    const client = this.clients.get(dest);
    if (client) {
      let write = this.writers.get(client);
      if (!write) this.writers.set(client, (write = lineWriter(client)));
      write(line);
      return;
    }
    if ((SERVICES as readonly string[]).includes(dest)) return this.refuseService(m);
    // A reply to a client that has gone (it gave up and closed) is dropped, as Maelstrom drops it.
    if (!dest.startsWith('c')) this.log(`message to unknown node ${JSON.stringify(dest)} dropped`);
  }

  private refuseService(m: Message): void {
    if (!this.refusedServices.has(m.dest)) {
      this.refusedServices.add(m.dest);
      this.emit({
        event: 'notice',
        text: `${this.config.node}: the node called Maelstrom's ${m.dest} service; splitbrain does not offer Maelstrom services, so it answers error 10 (not-supported)`,
      });
    }
    if (m.body.msg_id === undefined) return;
    const reply: Message = {
      src: m.dest,
      dest: m.src,
      body: {
        type: 'error',
        in_reply_to: m.body.msg_id,
        code: ERROR.notSupported,
        text: `splitbrain does not offer the ${m.dest} service`,
      },
    };
    this.proc.write(JSON.stringify(reply));
  }

  private attachControl(s: net.Socket, record: boolean): void {
    this.toControl = lineWriter(s);
    this.record = record;
  }

  private async handleControl(s: net.Socket, line: string): Promise<void> {
    let req: ControlRequest;
    try {
      req = JSON.parse(line) as ControlRequest;
    } catch {
      return;
    }
    let reply: ControlReply;
    try {
      switch (req.op) {
        case 'start':
          reply = { id: req.id, ok: true, pid: await this.proc.start() };
          break;
        case 'kill':
          await this.proc.kill();
          reply = { id: req.id, ok: true };
          break;
        case 'pause':
        case 'resume':
          this.proc.signal(req.op === 'pause' ? 'SIGSTOP' : 'SIGCONT');
          reply = { id: req.id, ok: true, ...(this.proc.pid !== undefined ? { pid: this.proc.pid } : {}) };
          break;
        case 'shutdown':
          await this.shutdownAndReply(s, req.id);
          return;
        default:
          reply = { id: req.id, ok: false, error: `unknown control op ${JSON.stringify(req.op)}` };
      }
    } catch (e) {
      reply = { id: req.id, ok: false, error: (e as Error).message, stderr: this.proc.stderrTail() };
    }
    s.write(JSON.stringify(reply) + '\n');
  }

  private async shutdownAndReply(s: net.Socket, id: number): Promise<void> {
    await this.proc.kill();
    const reply: ControlReply = { id, ok: true };
    s.end(JSON.stringify(reply) + '\n');
    await this.shutdown();
    process.exit(0);
  }

  private emit(e: RelayEvent): void {
    if (e.event === 'notice') this.log(e.text);
    else if (e.event === 'problem') this.log(`problem: ${e.text}`);
    // The DB's fatalLogPattern matches this line: a node that dies by itself fails the test.
    else if (e.event === 'exit') this.log(`fatal: the binary (pid ${e.pid}) exited by itself with code ${e.code}`);
    this.toControl?.(JSON.stringify(e));
  }

  private log(text: string): void {
    process.stderr.write(`[relay ${this.config.node}] ${text}\n`);
  }
}

/** The wall clock in fractional ms (recorded times must line up across relays and the runner). */
function wallMs(): number {
  return performance.timeOrigin + performance.now();
}
