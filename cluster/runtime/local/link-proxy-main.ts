/**
 * The link proxy as its own process, so a cluster left up by `cluster up` keeps its links after
 * the CLI exits. The local runtime starts it detached with the run marker in its environment
 * (so `cluster clean` kills it with the run's daemons) and controls it over a Unix socket in
 * the run's per-user scratch folder, with three requests (see LocalLinkControl):
 *
 *     POST /route  {"node": "n1", "port": 7000}   -> {"host": "127.x.y.11", "port": 41234}
 *     PUT  /faults/<layer>  [{"from", "to", "loss"}] -> 204, once every connection obeys them
 *     GET  /faults                                -> {"<layer>": [...]}
 *
 *     node dist/cluster/runtime/local/link-proxy-main.js --control SOCKET --nodes n1=ADDR,n2=ADDR,...
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import { RUN_ENV } from '../run-tag.js';
import type { LinkFault } from '../link-control.js';
import { LinkProxy } from './link-proxy.js';

function option(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) {
    console.error(`link proxy: --${name} is required`);
    process.exit(64);
  }
  return v;
}

const log = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
const control = option('control');
const nodes = new Map(
  option('nodes')
    .split(',')
    .map((pair) => pair.split('=') as [string, string]),
);
const proxy = new LinkProxy({ nodes, runId: process.env[RUN_ENV] ?? '', log });

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text);
}

function reply(res: ServerResponse, status: number, value?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(value === undefined ? undefined : JSON.stringify(value));
}

const server = createServer((req, res) => {
  void (async () => {
    try {
      const url = req.url ?? '';
      if (req.method === 'POST' && url === '/route') {
        const { node, port } = (await body(req)) as { node: string; port: number };
        reply(res, 200, await proxy.route(node, port));
      } else if (req.method === 'PUT' && url.startsWith('/faults/')) {
        proxy.setFaults(decodeURIComponent(url.slice('/faults/'.length)), (await body(req)) as LinkFault[]);
        reply(res, 204);
      } else if (req.method === 'GET' && url === '/faults') {
        reply(res, 200, proxy.faults());
      } else {
        reply(res, 404, { error: `no ${req.method} ${url}` });
      }
    } catch (e) {
      reply(res, 400, { error: e instanceof Error ? e.message : String(e) });
    }
  })();
});

rmSync(control, { force: true });
server.listen(control, () =>
  log(`link proxy ${process.pid} listening on ${control} for ${[...nodes.keys()].join(', ')}`),
);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    proxy.close();
    server.close();
    rmSync(control, { force: true });
    process.exit(0);
  });
}
