/**
 * `--db maelstrom`: any program that speaks Maelstrom's protocol, run as a real process on every
 * node. In each node a relay (relay/main.ts) starts the binary, greets it with `init` and carries
 * its messages to the other nodes' relays over real TCP, so iptables partitions and packet loss
 * act on them. kill is SIGKILL of the binary (start runs it again in the same working
 * directory and greets it again), pause is SIGSTOP, and the binary alone runs under libfaketime.
 * With `recordMessages` every inter-node message goes to `messages.jsonl` in the run folder.
 */
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ClockAware, Db, DbOptions, DbRunContext, Killable, Pausable } from '../db/index.js';
import { withTimeout } from '../db/index.js';
import { hostPort, nodePort } from '../db/index.js';
import { hasLinkControl, projectRoot, type Daemon, type StartedCluster, type StartedNode } from '../runtime/index.js';
import { BinaryHandle } from './binary-handle.js';
import { isGoBinary } from './go-binary.js';
import { RelayControl } from './relay-control.js';
import { RELAY_PORT, type RelayConfig, type RelayEvent } from './relay-wire.js';
import { BIN_PRELOAD_ENV } from './relay/node-process.js';

/** Where a binary from outside the project folder is copied in a Docker node. */
export const CONTAINER_BIN_DIR = '/opt/splitbrain-bin';

/** What `--db maelstrom` runs. */
export interface MaelstromDbOptions {
  /** The node program (a path; a bare name is looked up on the node's PATH). */
  bin: string;
  binArgs?: string[];
  /** Write every inter-node message to `<run>/messages.jsonl`. */
  recordMessages?: boolean;
  /** How long a binary has to answer init (default 10 s). */
  initTimeoutMs?: number;
  /** The compiled relay entry; default `<project>/dist/cluster/maelstrom/relay/main.js`. */
  relayMain?: string;
}

/** How long a control request may take (start includes the binary's init). */
const CONTROL_TIMEOUT_MS = 30_000;

/** The maelstrom DB. */
export class MaelstromDb implements Db, Killable, Pausable, ClockAware {
  readonly name = 'maelstrom';
  /**
   * libfaketime reaches a binary whose runtime reads the time through libc (C, C++, Node, Python,
   * the JVM, Rust's std); a Go binary reads it from the vDSO and its clock does not move.
   */
  readonly clockSkewEffective: boolean;
  /** The relay's line for a binary that exited by itself: a node failure, as a raftkv crash is. */
  readonly fatalLogPattern = /^\[relay \S+\] fatal: /;
  private readonly relayMain: string;
  private cluster: StartedCluster | undefined;
  private run: DbRunContext | undefined;
  private readonly relays = new Map<string, Daemon>();
  private readonly controls = new Map<string, RelayControl>();
  private readonly binaries = new Map<string, BinaryHandle>();
  /** What a binary did that must end the run with exit 3 (a line on stdout that is not a message). */
  private problems: string[] = [];
  private messages: MessageLog | undefined;
  /** node name -> where the other relays dial it: the runtime's link proxy when links run through one. */
  private readonly peerRoutes = new Map<string, { host: string; port: number }>();

  constructor(private readonly opts: MaelstromDbOptions) {
    this.clockSkewEffective = !(opts.bin.includes('/') && isGoBinary(path.resolve(opts.bin)));
    this.relayMain = opts.relayMain ?? path.join(projectRoot(), 'dist', 'cluster', 'maelstrom', 'relay', 'main.js');
  }

  async setup(cluster: StartedCluster, opts: DbOptions): Promise<void> {
    if (opts.bugs && opts.bugs.length > 0) throw new Error('--bug is for raftkv only; a maelstrom node brings its own');
    if (!existsSync(this.relayMain))
      throw new Error(`maelstrom relay not built: ${this.relayMain} is missing (run npm run build)`);
    this.cluster = cluster;
    this.run = opts.run;
    this.problems = [];
    const bin = await this.placeBinary(cluster);
    this.peerRoutes.clear();
    if (hasLinkControl(cluster)) {
      for (const n of cluster.nodes)
        this.peerRoutes.set(n.name, await cluster.links.peerRoute(n.name, this.relayPort(n)));
    }
    if (this.opts.recordMessages && this.run) this.messages = new MessageLog(this.run.messagesFile, this.run.now);
    await Promise.all(
      cluster.nodes.map(async (node) => {
        const config = this.relayConfig(cluster, node, bin(node));
        this.relays.set(
          node.name,
          await node.spawn({
            name: 'maelstrom',
            // Only the binary runs under libfaketime: the wrapper moves the preload aside for the
            // relay to hand on, so the relay's own clock (message times) and speed stay true.
            command: [
              '/bin/sh',
              '-c',
              `if [ -n "$LD_PRELOAD" ]; then export ${BIN_PRELOAD_ENV}="$LD_PRELOAD"; unset LD_PRELOAD; fi; exec "$@"`,
              'maelstrom-relay',
              process.execPath,
              this.relayMain,
              JSON.stringify(config),
            ],
            fakeTime: cluster.capabilities.faketime,
          }),
        );
        const control = await RelayControl.open(config.listen.host, config.listen.port, {
          timeoutMs: 15_000,
          record: this.messages !== undefined,
          onEvent: (e) => this.onRelayEvent(node.name, e),
        });
        this.controls.set(node.name, control);
      }),
    );
    const failures = (await Promise.all(cluster.nodes.map((n) => this.startBinary(n).catch((e: Error) => e)))).filter(
      (r): r is Error => r instanceof Error,
    );
    if (failures.length > 0) throw failures[0]!;
  }

  async teardown(cluster: StartedCluster): Promise<void> {
    await Promise.all(
      cluster.nodes.map(async (n) => {
        const control = this.controls.get(n.name);
        this.controls.delete(n.name);
        if (control) {
          await control.request('shutdown', 5_000);
          control.close();
        }
        const relay = this.relays.get(n.name);
        this.relays.delete(n.name);
        if (relay?.isRunning()) {
          await withTimeout(relay.exited(), 2_000);
          if (relay.isRunning()) {
            if (relay.isPaused()) await relay.signal('SIGCONT').catch(() => undefined);
            await relay.signal('SIGKILL').catch(() => undefined);
            await withTimeout(relay.exited(), 5_000);
          }
        }
        this.binaries.get(n.name)?.markExited(137);
        await n.collectLogs().catch(() => undefined);
      }),
    );
    await this.messages?.close();
    this.messages = undefined;
    if (this.problems.length > 0) throw new Error(this.problems[0]);
  }

  clientEndpoint(node: StartedNode): string {
    return `tcp://${hostPort(node.address, this.relayPort(node))}`;
  }

  async start(node: StartedNode): Promise<void> {
    if (this.binaries.get(node.name)?.isRunning()) return;
    await this.startBinary(node);
  }

  async kill(node: StartedNode): Promise<void> {
    const handle = this.binaries.get(node.name);
    const r = await this.control(node).request('kill', CONTROL_TIMEOUT_MS);
    if (!r.ok) throw new Error(`${node.name}: kill failed: ${r.error}`);
    handle?.markExited(137);
  }

  async pause(node: StartedNode): Promise<void> {
    const handle = this.binaries.get(node.name);
    if (!handle?.isRunning() || handle.isPaused()) return;
    const r = await this.control(node).request('pause', CONTROL_TIMEOUT_MS);
    if (!r.ok) throw new Error(`${node.name}: pause failed: ${r.error}`);
    handle.markPaused(true);
  }

  async resume(node: StartedNode): Promise<void> {
    const handle = this.binaries.get(node.name);
    if (!handle?.isPaused()) return;
    const r = await this.control(node).request('resume', CONTROL_TIMEOUT_MS);
    if (!r.ok) throw new Error(`${node.name}: resume failed: ${r.error}`);
    handle.markPaused(false);
  }

  /** The binary now running on a node (what kill and pause act on), for the nemesis's checks. */
  daemon(node: string): Daemon | undefined {
    return this.binaries.get(node);
  }

  private async startBinary(node: StartedNode): Promise<void> {
    const r = await this.control(node).request('start', CONTROL_TIMEOUT_MS);
    if (!r.ok || r.pid === undefined) {
      const tail =
        r.stderr && r.stderr.length > 0 ? `\nlast stderr lines of ${node.name}:\n${r.stderr.join('\n')}` : '';
      throw new Error(`${r.error ?? `${node.name}: the binary did not start`}${tail}`);
    }
    this.binaries.set(node.name, new BinaryHandle(r.pid, (sig) => this.signalBinary(node, sig)));
  }

  private async signalBinary(node: StartedNode, sig: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void> {
    if (sig === 'SIGKILL' || sig === 'SIGTERM') return this.kill(node);
    return sig === 'SIGSTOP' ? this.pause(node) : this.resume(node);
  }

  private onRelayEvent(node: string, e: RelayEvent): void {
    switch (e.event) {
      case 'send':
      case 'recv':
        this.messages?.append(e);
        return;
      case 'notice':
        this.run?.log(`maelstrom: ${e.text}`);
        return;
      case 'exit':
        // Not a problem of the run but a failure of the node, found in its log by fatalLogPattern.
        this.binaries.get(node)?.markExited(e.code);
        this.run?.log(
          `maelstrom: ${node}: the binary exited by itself (code ${e.code})${e.stderr.length > 0 ? `; last stderr lines:\n${e.stderr.join('\n')}` : ''}`,
        );
        return;
      case 'problem':
        return this.problem(e.text, e.stderr);
    }
  }

  private problem(text: string, stderr: string[]): void {
    this.problems.push(text);
    this.run?.log(`maelstrom: ${text}${stderr.length > 0 ? `; last stderr lines:\n${stderr.join('\n')}` : ''}`);
  }

  /**
   * The binary's path as each node sees it. Local nodes share the host's files; Docker nodes see
   * the project folder at the same path, and any other file is copied into each container; on
   * SSH hosts the file is always copied, into the node's folder. Only that one file is copied:
   * an interpreted node needs its interpreter there and no files beside it.
   */
  private async placeBinary(cluster: StartedCluster): Promise<(node: StartedNode) => string> {
    const bin = this.opts.bin;
    if (!bin.includes('/')) return () => bin;
    const abs = path.resolve(bin);
    const inProject = abs.startsWith(projectRoot() + path.sep);
    if (cluster.runtime === 'local' || (cluster.runtime === 'docker' && inProject)) return () => abs;
    if (!existsSync(abs)) return () => abs; // the relay reports "binary not found" naming the node
    const target = (n: StartedNode) =>
      cluster.runtime === 'docker'
        ? path.posix.join(CONTAINER_BIN_DIR, path.basename(abs))
        : path.posix.join(n.dataDir, 'maelstrom', 'bin', path.basename(abs));
    const content = readFileSync(abs).toString('base64');
    await Promise.all(
      cluster.nodes.map(async (n) => {
        const file = target(n);
        const r = await n.exec(['sh', '-c', 'mkdir -p "$(dirname "$0")" && base64 -d > "$0" && chmod 755 "$0"', file], {
          input: content,
          timeoutMs: 60_000,
        });
        if (r.exitCode !== 0) throw new Error(`${n.name}: cannot copy the binary into the node: ${r.stderr.trim()}`);
      }),
    );
    return target;
  }

  private relayConfig(cluster: StartedCluster, node: StartedNode, bin: string): RelayConfig {
    const peers: RelayConfig['peers'] = {};
    for (const n of cluster.nodes)
      if (n.name !== node.name) peers[n.name] = { host: n.address, port: this.relayPort(n) };
    return {
      node: node.name,
      nodeIds: cluster.nodes.map((n) => n.name),
      listen: { host: node.address, port: this.relayPort(node) },
      peers,
      bin,
      binArgs: this.opts.binArgs ?? [],
      workDir: path.posix.join(node.dataDir, 'maelstrom', 'work'),
      initTimeoutMs: this.opts.initTimeoutMs ?? 10_000,
    };
  }

  private relayPort(node: StartedNode): number {
    return nodePort(this.requireCluster(), node, RELAY_PORT);
  }

  private control(node: StartedNode): RelayControl {
    const c = this.controls.get(node.name);
    if (!c) throw new Error(`${node.name}: no relay (setup has not run or teardown has)`);
    return c;
  }

  private requireCluster(): StartedCluster {
    if (!this.cluster) throw new Error('maelstrom: setup has not run');
    return this.cluster;
  }
}

/**
 * messages.jsonl: one line per inter-node message sent (`type: "send"`, with its body) and per
 * message delivered to the receiving binary (`type: "recv"`), `time` in the history's
 * nanoseconds. Relays stamp their wall clock; one reading of both clocks here converts them.
 */
class MessageLog {
  private readonly out: WriteStream;
  private readonly wallAtZero: number;

  constructor(file: string, now: () => number) {
    this.out = createWriteStream(file);
    this.wallAtZero = performance.timeOrigin + performance.now() - now() / 1e6;
  }

  append(e: Extract<RelayEvent, { event: 'send' | 'recv' }>): void {
    const time = Math.round((e.time - this.wallAtZero) * 1e6);
    const line =
      e.event === 'send'
        ? { type: 'send', time, id: e.id, from: e.from, to: e.to, body: e.body }
        : { type: 'recv', time, id: e.id, from: e.from, to: e.to };
    this.out.write(JSON.stringify(line) + '\n');
  }

  close(): Promise<void> {
    return new Promise((r) => this.out.end(() => r()));
  }
}
