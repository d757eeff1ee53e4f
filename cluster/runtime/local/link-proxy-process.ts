/**
 * Starts the link proxy process for a local run and talks to it (LinkControl over the proxy's
 * Unix control socket; the protocol is in link-proxy-main.ts). The process is detached and
 * carries the run marker, so the run's teardown and `cluster clean` kill it as they kill the
 * run's daemons, and its control socket lives in the run's scratch folder, removed with it.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import type { LinkControl, LinkEndpoint, LinkFault } from '../link-control.js';
import { projectRoot } from '../project-root.js';
import { RUN_ENV } from '../run-tag.js';

/** The compiled proxy entry point (the project must be built, as for raftkv's node). */
export function linkProxyMain(): string {
  return path.join(projectRoot(), 'dist', 'cluster', 'runtime', 'local', 'link-proxy-main.js');
}

const READY_TIMEOUT_MS = 10_000;

/** LinkControl over a running proxy's control socket. */
export class LocalLinkControl implements LinkControl {
  constructor(
    /** The proxy's control socket. */
    readonly socketPath: string,
    /** The proxy's pid. */
    readonly pid: number,
  ) {}

  async peerRoute(node: string, port: number): Promise<LinkEndpoint> {
    return (await this.call('POST', '/route', { node, port })) as LinkEndpoint;
  }

  async setLinkFaults(layer: string, faults: readonly LinkFault[]): Promise<void> {
    await this.call('PUT', `/faults/${encodeURIComponent(layer)}`, faults);
  }

  async linkFaults(): Promise<Record<string, LinkFault[]>> {
    return (await this.call('GET', '/faults')) as Record<string, LinkFault[]>;
  }

  private call(method: string, url: string, value?: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, method, path: url, timeout: 10_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const parsed: unknown = text === '' ? undefined : JSON.parse(text);
          if ((res.statusCode ?? 500) >= 300)
            reject(
              new Error(`link proxy: ${method} ${url}: ${(parsed as { error?: string })?.error ?? res.statusCode}`),
            );
          else resolve(parsed);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`link proxy: ${method} ${url} timed out`)));
      req.on('error', reject);
      req.end(value === undefined ? undefined : JSON.stringify(value));
    });
  }
}

/** Starts the proxy for a run's nodes (name -> address), logging to `logFile`, and waits until it answers. */
export async function startLinkProxy(opts: {
  runId: string;
  nodes: ReadonlyMap<string, string>;
  socketPath: string;
  logFile: string;
}): Promise<LocalLinkControl> {
  const fd = openSync(opts.logFile, 'a');
  let child;
  try {
    const nodes = [...opts.nodes].map(([n, a]) => `${n}=${a}`).join(',');
    child = spawn(process.execPath, [linkProxyMain(), '--control', opts.socketPath, '--nodes', nodes], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, [RUN_ENV]: opts.runId },
    });
  } finally {
    closeSync(fd);
  }
  child.unref();
  if (child.pid === undefined) throw new Error(`cannot start the link proxy (${process.execPath} ${linkProxyMain()})`);
  const control = new LocalLinkControl(opts.socketPath, child.pid);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await control.linkFaults();
      return control;
    } catch (e) {
      if (child.exitCode !== null) throw new Error(`the link proxy exited with ${child.exitCode}; see ${opts.logFile}`);
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
