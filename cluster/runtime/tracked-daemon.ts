/**
 * A daemon handle shared by the runtimes. The runtime, not the process table, is the source of
 * truth for "paused": a SIGSTOPped process looks running to `docker top` and to `kill -0`, so
 * the handle records every stop and continue it sends, and forgets both when the process exits.
 */
import { readFileSync } from 'node:fs';
import type { Daemon } from './runtime.js';

/** The signals a runtime sends to daemons. */
export type DaemonSignal = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT';

/** A process the runtime started and can signal by its pid. */
export class TrackedDaemon implements Daemon {
  private running = true;
  private paused = false;
  private readonly done: Promise<number>;

  /**
   * `hostPid` is where signals go; `pid` is what the node sees (equal for local nodes); `exit`
   * resolves with the exit code, or 128 + the signal number.
   */
  constructor(
    readonly name: string,
    readonly pid: number,
    readonly hostPid: number,
    exit: Promise<number>,
    /** Sends a signal another way when the host refuses ours (EPERM: not root, docker group). */
    private readonly fallback?: (sig: DaemonSignal) => Promise<void>,
  ) {
    this.done = exit.then(
      (code) => {
        this.running = false;
        this.paused = false;
        return code;
      },
      () => {
        this.running = false;
        this.paused = false;
        return -1;
      },
    );
  }

  isRunning(): boolean {
    return this.running;
  }

  isPaused(): boolean {
    return this.paused;
  }

  async signal(sig: DaemonSignal): Promise<void> {
    if (!this.running || this.hostPid <= 0) return;
    if (!(await this.deliver(sig))) return;
    if (sig === 'SIGSTOP') this.paused = true;
    else if (sig === 'SIGCONT') this.paused = false;
    else if (sig === 'SIGKILL') {
      // A stopped process dies on SIGKILL too; wait so callers can restart at once.
      await this.done;
    }
  }

  /**
   * Sends the signal to `hostPid`; false when the process is already gone. A runtime whose
   * processes are not on this host (SSH) overrides it.
   */
  protected async deliver(sig: DaemonSignal): Promise<boolean> {
    try {
      process.kill(this.hostPid, sig);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') return false;
      if (code !== 'EPERM' || !this.fallback) throw err;
      await this.fallback(sig);
    }
    return true;
  }

  exited(): Promise<number> {
    return this.done;
  }
}

/** Reads the pid a host process has inside its own pid namespace (the last NSpid field). */
export function namespacePid(hostPid: number): number {
  try {
    const status = readFileSync(`/proc/${hostPid}/status`, 'utf8');
    const line = status.split('\n').find((l) => l.startsWith('NSpid:'));
    const fields = line?.split(/\s+/).slice(1).filter(Boolean) ?? [];
    return Number(fields[fields.length - 1] ?? hostPid);
  } catch {
    return hostPid;
  }
}
