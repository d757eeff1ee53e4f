import http from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanHttpClient } from '../../../workloads/clients/lean-http.js';
import { RequestError } from '../../../workloads/clients/request-error.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function httpServer(handler: http.RequestListener): Promise<{ addr: string; connections: () => number }> {
  let connections = 0;
  const server = http.createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { addr: `127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

async function rawServer(onData: (socket: import('node:net').Socket) => void): Promise<string> {
  const server: TcpServer = createTcpServer((s) => s.once('data', () => onData(s)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(): LeanHttpClient {
  const c = new LeanHttpClient();
  closers.push(async () => c.close());
  return c;
}

describe('lean HTTP client', () => {
  it('sends the method, path and JSON body and parses answers framed by length or by chunks, reusing one connection', async () => {
    const seen: string[] = [];
    const { addr, connections } = await httpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
        const body = JSON.stringify({ value: 'é'.repeat(3), n: seen.length });
        if (seen.length % 2 === 1)
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        else res.writeHead(201, { 'content-type': 'application/json' }); // chunked
        res.end(body);
      });
    });
    const c = client();
    expect(await c.request(addr, 'PUT', '/kv/a%20b', { value: 'ü' }, 2000)).toEqual({
      status: 200,
      body: { value: 'ééé', n: 1 },
    });
    expect(await c.request(addr, 'GET', '/kv/x', undefined, 2000)).toEqual({
      status: 201,
      body: { value: 'ééé', n: 2 },
    });
    expect(await c.request(addr, 'POST', '/kv/x/cas', { expected: 1, new: 2 }, 2000)).toMatchObject({ status: 200 });
    expect(seen).toEqual(['PUT /kv/a%20b {"value":"ü"}', 'GET /kv/x ', 'POST /kv/x/cas {"expected":1,"new":2}']);
    expect(connections()).toBe(1);
  });

  it('opens a new connection after the server said Connection: close', async () => {
    const { addr, connections } = await httpServer((_req, res) => {
      res.writeHead(200, { connection: 'close', 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const c = client();
    expect((await c.request(addr, 'GET', '/health', undefined, 2000)).body).toEqual({ ok: true });
    expect((await c.request(addr, 'GET', '/health', undefined, 2000)).body).toEqual({ ok: true });
    expect(connections()).toBe(2);
  });

  it('reports a refused connection as refused, a silent server as a timeout and a dropped connection as lost', async () => {
    const c = client();
    const silent = await rawServer(() => undefined);
    const port = Number(silent.split(':')[1]);
    // A port nobody listens on: take one and close it.
    const probe = createTcpServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await expect(c.request(`127.0.0.1:${deadPort}`, 'GET', '/', undefined, 2000)).rejects.toMatchObject({
      kind: 'refused',
    });
    await expect(c.request(`127.0.0.1:${port}`, 'GET', '/', undefined, 200)).rejects.toMatchObject({ kind: 'timeout' });
    const dropper = await rawServer((s) => s.destroy());
    const err = await c.request(dropper, 'PUT', '/kv/1', { value: 1 }, 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).kind).toBe('connection-lost');
  });
});
