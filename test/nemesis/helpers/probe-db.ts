/**
 * A real but tiny "DB" for nemesis integration tests: the probe daemon from test/fixtures (an
 * HTTP server answering /ping, /now and /fetch) on every node, started with libfaketime. It can
 * be killed, started, paused and resumed like a real DB, so faults are seen from outside
 * without depending on raftkv.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClockAware, type Db, type Killable, type Pausable } from '../../../cluster/db/index.js';
import type { Daemon, StartedCluster, StartedNode } from '../../../cluster/runtime/runtime.js';

/** The port the probe daemon listens on in every node. */
export const PROBE_PORT = 7070;

/** The compiled fixture; tests build before they start. */
export const PROBE_ENTRY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../dist/test/fixtures/probe-daemon.js',
);

/** The probe daemon as a Db with the capabilities the nemesis asks for. */
export class ProbeDb implements Db, Killable, Pausable, ClockAware {
  readonly name = 'probe';
  readonly clockSkewEffective = true;
  private readonly daemons = new Map<string, Daemon>();

  async setup(cluster: StartedCluster): Promise<void> {
    if (!existsSync(PROBE_ENTRY)) throw new Error(`${PROBE_ENTRY} is missing: run npm run build`);
    await Promise.all(cluster.nodes.map((n) => this.start(n)));
  }

  async teardown(): Promise<void> {
    for (const d of this.daemons.values()) {
      if (d.isPaused()) await d.signal('SIGCONT');
      await d.signal('SIGKILL');
    }
    this.daemons.clear();
  }

  clientEndpoint(node: StartedNode): string {
    return `http://${node.address}:${PROBE_PORT}`;
  }

  async kill(node: StartedNode): Promise<void> {
    const d = this.daemons.get(node.name);
    if (d?.isRunning()) {
      await d.signal('SIGKILL');
      await d.exited();
    }
  }

  async start(node: StartedNode): Promise<void> {
    if (this.daemons.get(node.name)?.isRunning()) return;
    const d = await node.spawn({
      name: 'probe',
      command: [process.execPath, PROBE_ENTRY, '0.0.0.0', String(PROBE_PORT), node.name],
      fakeTime: true,
    });
    this.daemons.set(node.name, d);
    await waitUntil(async () => (await get(`${this.clientEndpoint(node)}/ping`, 1000)) === node.name, 20_000);
  }

  async pause(node: StartedNode): Promise<void> {
    await this.daemons.get(node.name)?.signal('SIGSTOP');
  }

  async resume(node: StartedNode): Promise<void> {
    await this.daemons.get(node.name)?.signal('SIGCONT');
  }

  /** The daemon on a node, which the nemesis uses to record pids and check signals landed. */
  daemon(node: string): Daemon | undefined {
    return this.daemons.get(node);
  }
}

/** GETs a URL and returns the body, or undefined on any error or timeout. */
export async function get(url: string, timeoutMs = 2000): Promise<string | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return r.ok ? await r.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Polls until the condition holds, or throws after the deadline. */
export async function waitUntil(cond: () => Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
