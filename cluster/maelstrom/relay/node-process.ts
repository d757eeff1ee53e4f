/**
 * The user's binary as the relay runs it: spawned in the node's working directory with the
 * node's libfaketime settings, greeted with Maelstrom's `init` and trusted once it answers
 * `init_ok`. Its stdout lines are handed to the relay; its stderr goes to the relay's own
 * stderr (the node's log) and the last lines are kept for error messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readLines } from '../line-reader.js';
import { lineWriter, type LineWriter } from '../line-writer.js';
import { INIT_CLIENT, initBody, parseMessage, type Message } from '../protocol.js';

/** How many stderr lines an error quotes. */
const STDERR_TAIL = 20;

/** Where the wrapper leaves libfaketime's preload, so that only the binary gets it (see maelstrom-db.ts). */
export const BIN_PRELOAD_ENV = 'SPLITBRAIN_BIN_LD_PRELOAD';

/** What the relay wants to hear from the binary. */
export interface NodeProcessEvents {
  /** A message the binary printed after init_ok. */
  message(m: Message, line: string): void;
  /** A line that is not a message (after init_ok; before it, start fails instead). */
  garbage(line: string, why: string): void;
  /** The binary ended without being killed by us. */
  exited(pid: number, code: number): void;
}

/** Starts, greets, signals and stops one incarnation of the binary at a time. */
export class NodeProcess {
  private child: ChildProcess | undefined;
  private toStdin: LineWriter = () => undefined;
  private ready = false;
  private killing = false;
  private readonly tail: string[] = [];
  private msgId = 0;

  constructor(
    private readonly config: {
      node: string;
      nodeIds: string[];
      bin: string;
      binArgs: string[];
      workDir: string;
      initTimeoutMs: number;
    },
    private readonly events: NodeProcessEvents,
  ) {}

  /** The running binary's pid, or undefined when it is down. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True once the binary has answered init and until it exits. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The binary's last stderr lines. */
  stderrTail(): string[] {
    return [...this.tail];
  }

  /** Writes one line to the binary's stdin (dropped when it is down: a crashed process reads nothing). */
  write(line: string): void {
    if (this.ready) this.toStdin(line);
  }

  /**
   * Spawns the binary and sends init; resolves with its pid once it answers init_ok, rejects with
   * one line naming the cause (not found, exited, no answer, not JSON) after killing it.
   */
  start(): Promise<number> {
    if (this.child) return Promise.resolve(this.child.pid!);
    mkdirSync(this.config.workDir, { recursive: true });
    const env = { ...process.env };
    const preload = env[BIN_PRELOAD_ENV];
    delete env[BIN_PRELOAD_ENV];
    if (preload) env.LD_PRELOAD = preload;
    const child = spawn(this.config.bin, this.config.binArgs, {
      cwd: this.config.workDir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.toStdin = lineWriter(child.stdin!);
    this.ready = false;
    this.killing = false;
    this.tail.length = 0;
    child.stdin!.on('error', () => undefined); // EPIPE after a crash; the exit handler reports it
    readLines(child.stderr!, (line) => {
      process.stderr.write(`${line}\n`);
      this.tail.push(line);
      if (this.tail.length > STDERR_TAIL) this.tail.shift();
    });

    return new Promise<number>((resolve, reject) => {
      let settled = false;
      const initId = ++this.msgId;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.child === child && child.exitCode === null && child.signalCode === null) {
          this.killing = true;
          child.kill('SIGKILL');
        }
        // Let the last stderr lines arrive before quoting them.
        setTimeout(() => reject(new Error(why)), 100);
      };
      const timer = setTimeout(
        () => fail(`${this.config.node}: the binary did not answer init within ${this.config.initTimeoutMs} ms`),
        this.config.initTimeoutMs,
      );
      child.on('error', (e: NodeJS.ErrnoException) => {
        const why =
          e.code === 'ENOENT'
            ? `binary not found: ${this.config.bin}`
            : e.code === 'EACCES'
              ? `binary not executable: ${this.config.bin}`
              : `cannot start the binary ${this.config.bin}: ${e.message}`;
        if (this.child === child) this.child = undefined;
        fail(`${this.config.node}: ${why}`);
      });
      child.on('exit', (code, signal) => {
        const status = code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 0);
        const pid = child.pid ?? -1;
        if (this.child === child) {
          this.child = undefined;
          this.ready = false;
        }
        if (!settled) {
          fail(`${this.config.node}: the binary exited before answering init (${describeStatus(code, signal)})`);
        } else if (!this.killing) {
          this.events.exited(pid, status);
        }
      });
      readLines(child.stdout!, (line) => {
        if (line.trim() === '') return;
        let m: Message;
        try {
          m = parseMessage(line);
        } catch (e) {
          if (!settled)
            fail(`${this.config.node}: the binary printed a line that is not a message: ${(e as Error).message}`);
          else this.events.garbage(line, (e as Error).message);
          return;
        }
        if (!settled) {
          if (m.body.in_reply_to === initId && m.body.type === 'init_ok') {
            settled = true;
            clearTimeout(timer);
            this.ready = true;
            resolve(child.pid!);
          } else if (m.body.type === 'error' && m.body.in_reply_to === initId) {
            fail(`${this.config.node}: the binary answered init with an error: ${JSON.stringify(m.body)}`);
          }
          // Anything else before init_ok is dropped, as Maelstrom would not route it either.
          return;
        }
        this.events.message(m, line);
      });
      const init: Message = {
        src: INIT_CLIENT,
        dest: this.config.node,
        body: initBody(initId, this.config.node, this.config.nodeIds),
      };
      child.stdin!.write(JSON.stringify(init) + '\n');
    });
  }

  /** SIGKILLs the binary (paused or not) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.killing = true;
    this.ready = false;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await gone;
  }

  /** SIGSTOP / SIGCONT. */
  signal(sig: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(sig);
  }
}

function describeStatus(code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null ? `exit code ${code}` : `killed by ${signal}`;
}
