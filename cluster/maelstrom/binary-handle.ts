/**
 * The user's binary in one node as a Daemon, so the kill and pause nemeses can check that their
 * signal landed. The relay, not this process, owns the binary: state changes come from the DB's
 * control replies and the relay's exit events, and signals go back through the DB.
 */
import type { Daemon } from '../runtime/index.js';

/** One incarnation of a node's binary (a restart makes a new handle with the new pid). */
export class BinaryHandle implements Daemon {
  readonly name = 'maelstrom';
  private running = true;
  private paused = false;
  private resolveExit!: (code: number) => void;
  private readonly done = new Promise<number>((r) => (this.resolveExit = r));

  constructor(
    readonly pid: number,
    private readonly send: (sig: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT') => Promise<void>,
  ) {}

  isRunning(): boolean {
    return this.running;
  }

  isPaused(): boolean {
    return this.paused;
  }

  signal(sig: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void> {
    return this.send(sig);
  }

  exited(): Promise<number> {
    return this.done;
  }

  /** Records that the binary is gone. */
  markExited(code: number): void {
    if (!this.running) return;
    this.running = false;
    this.paused = false;
    this.resolveExit(code);
  }

  /** Records a SIGSTOP (true) or SIGCONT (false) the relay delivered. */
  markPaused(paused: boolean): void {
    if (this.running) this.paused = paused;
  }
}
