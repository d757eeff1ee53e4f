import { createReadStream, readdirSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { escapeHtml } from '../escape-html.js';
import { listRuns } from './list-runs.js';
import { hrefOf, renderStoreIndex } from './render-index.js';

/** Where and how to serve a store. */
export interface StoreServerOptions {
  store: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the store holds logs and histories that need not leave the machine. */
  host?: string;
}

/** A listening store server. */
export interface StartedStoreServer extends AsyncDisposable {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.edn': 'text/plain; charset=utf-8',
  '.xml': 'text/xml; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves a store over HTTP: `/` is the index of runs, anything else a file or folder listing
 * inside the store. A request is served only when the real path (links resolved) lies inside
 * the store's real path, so `..`, encoded dots and links pointing out of the store all get 404.
 */
export async function startStoreServer(options: StoreServerOptions): Promise<StartedStoreServer> {
  const root = realpathSync(resolve(options.store));
  const server = createServer((req, res) => {
    try {
      handle(root, req, res);
    } catch (err) {
      send(
        res,
        500,
        'text/plain; charset=utf-8',
        `internal error: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => ok());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const close = (): Promise<void> =>
    new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return { url: `http://${host}:${port}/`, port, close, [Symbol.asyncDispose]: close };
}

function handle(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET and HEAD');
  const url = new URL(req.url ?? '/', 'http://localhost');
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, 'text/plain', 'bad path encoding');
  }
  if (rel === '/' || rel === '/index.html') {
    return send(res, 200, 'text/html; charset=utf-8', renderStoreIndex(root, listRuns(root)), req.method === 'HEAD');
  }
  if (rel === '/runs.json')
    return send(res, 200, TYPES['.json']!, JSON.stringify(listRuns(root)), req.method === 'HEAD');
  const target = insideStore(root, rel);
  if (!target) return send(res, 404, 'text/plain', 'not found');
  const stat = statSync(target);
  if (stat.isDirectory()) {
    if (!url.pathname.endsWith('/')) {
      res.writeHead(301, { location: url.pathname + '/' });
      res.end();
      return;
    }
    return send(res, 200, 'text/html; charset=utf-8', listing(rel, target), req.method === 'HEAD');
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stat.size,
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(target).pipe(res);
}

/** The real path of a store-relative request, or null when it does not exist or leaves the store. */
function insideStore(root: string, rel: string): string | null {
  if (rel.includes('\0')) return null;
  const candidate = resolve(root, '.' + rel);
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return null;
  }
  return real === root || real.startsWith(root + sep) ? real : null;
}

function listing(rel: string, dir: string): string {
  const names = readDir(dir);
  const base = rel.endsWith('/') ? rel : rel + '/';
  const items = names
    .map((n) => `<li><a href="${escapeHtml(hrefOf((base + n).slice(1)))}">${escapeHtml(n)}</a></li>`)
    .join('');
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(rel)}</title><p><a href="/">all runs</a></p><h1>${escapeHtml(rel)}</h1><ul>${items}</ul>`;
}

function readDir(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort();
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
  });
  res.end(headOnly ? undefined : body);
}
