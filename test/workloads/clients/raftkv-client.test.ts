import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { raftkvClientPool, type ClientPool } from '../../../workloads/index.js';

type Handler = (req: http.IncomingMessage, body: unknown, res: http.ServerResponse) => void;

const servers: http.Server[] = [];
const pools: ClientPool[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      handler(req, text ? JSON.parse(text) : undefined, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const reply = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function pool(hosts: string[], opTimeoutMs = 2000): ClientPool {
  const p = raftkvClientPool({
    endpoints: hosts.map((h, i) => ({ node: `n${i + 1}`, url: `http://${h}` })),
    opTimeoutMs,
  });
  pools.push(p);
  return p;
}

afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('raftkv client', () => {
  it('maps a read, a write and a successful cas to ok with the values the model expects', async () => {
    const seen: { method?: string; url?: string; body: unknown }[] = [];
    const host = await serve((req, body, res) => {
      seen.push({ method: req.method, url: req.url, body });
      if (req.method === 'GET') reply(res, 200, { value: 3 });
      else if (req.url?.endsWith('/cas')) reply(res, 200, { value: [3, 4] });
      else reply(res, 200, { value: 2 });
    });
    const c = pool([host]).open(0);
    expect(await c.invoke({ f: 'read', key: 7, value: null })).toEqual({ type: 'ok', value: 3, node: 'n1' });
    expect(await c.invoke({ f: 'write', key: 7, value: 2 })).toEqual({ type: 'ok', value: 2, node: 'n1' });
    expect(await c.invoke({ f: 'cas', key: 7, value: [3, 4] })).toEqual({ type: 'ok', value: [3, 4], node: 'n1' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /kv/7', 'PUT /kv/7', 'POST /kv/7/cas']);
    expect(seen[1]!.body).toMatchObject({ value: 2, requestId: expect.stringMatching(/^c0:/) });
    expect(seen[2]!.body).toMatchObject({ expected: 3, new: 4 });
  });

  it('reads a key never written as null', async () => {
    const host = await serve((_req, _body, res) => reply(res, 200, { value: null }));
    expect(await pool([host]).open(0).invoke({ f: 'read', key: 'k', value: null })).toMatchObject({
      type: 'ok',
      value: null,
    });
  });

  it('fails a cas whose expected value does not match', async () => {
    const host = await serve((_req, _body, res) =>
      reply(res, 409, { error: 'cas-mismatch', definite: true, current: 1 }),
    );
    expect(
      await pool([host])
        .open(0)
        .invoke({ f: 'cas', key: 1, value: [0, 2] }),
    ).toMatchObject({
      type: 'fail',
      error: 'cas-mismatch',
    });
  });

  it('follows a not-leader redirect to the leader the node names', async () => {
    const leader = await serve((_req, _body, res) => reply(res, 200, { value: 4 }));
    const follower = await serve((_req, _body, res) =>
      reply(res, 307, { error: 'not-leader', leader, definite: true }),
    );
    const c = pool([follower, leader]).open(0);
    expect(await c.invoke({ f: 'write', key: 1, value: 4 })).toEqual({ type: 'ok', value: 4, node: 'n2' });
  });

  it('fails an op when the node knows no leader', async () => {
    const host = await serve((_req, _body, res) =>
      reply(res, 307, { error: 'not-leader', leader: null, definite: true }),
    );
    expect(await pool([host]).open(0).invoke({ f: 'write', key: 1, value: 4 })).toMatchObject({
      type: 'fail',
      error: 'not-leader',
    });
  });

  it('gives info for a write that times out but fail for a read that times out', async () => {
    const host = await serve(() => {
      /* never answers, like a paused node */
    });
    const c = pool([host], 300).open(0);
    expect(await c.invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({ type: 'info', error: 'timeout' });
    expect(await c.invoke({ f: 'cas', key: 1, value: [1, 2] })).toMatchObject({ type: 'info', error: 'timeout' });
    expect(await c.invoke({ f: 'read', key: 1, value: null })).toMatchObject({ type: 'fail', error: 'timeout' });
  });

  it('gives info for a write whose connection is cut before the answer', async () => {
    const host = await serve((req) => req.socket.destroy());
    const c = pool([host]).open(0);
    expect(await c.invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({ type: 'info' });
    expect(await c.invoke({ f: 'read', key: 1, value: null })).toMatchObject({ type: 'fail' });
  });

  it('fails a write whose connection is refused: it never reached the node', async () => {
    const host = await serve(() => undefined);
    const [server] = servers.splice(0);
    await new Promise((r) => server!.close(r));
    expect(await pool([host]).open(0).invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({
      type: 'fail',
      error: 'connection refused',
    });
  });

  it('maps a server error by its definite flag: definite fails, otherwise info', async () => {
    let definite = true;
    const host = await serve((_req, _body, res) => reply(res, 503, { error: 'no quorum', definite }));
    const c = pool([host]).open(0);
    expect(await c.invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({ type: 'fail', error: 'no quorum' });
    definite = false;
    expect(await c.invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({ type: 'info', error: 'no quorum' });
  });

  it('spreads processes over all nodes', async () => {
    const hits: string[] = [];
    const hosts = await Promise.all(
      ['a', 'b', 'c'].map((name) => serve((_req, _body, res) => (hits.push(name), reply(res, 200, { value: null })))),
    );
    const p = pool(hosts);
    for (let process = 0; process < 6; process++) await p.open(process).invoke({ f: 'read', key: 1, value: null });
    expect(hits.sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });

  it("reads at the process's own node, and a follower hands the read on once to the leader it names", async () => {
    const hits: string[] = [];
    const leader = await serve((_req, _body, res) => (hits.push('leader'), reply(res, 200, { value: 1 })));
    const follower = await serve(
      (_req, _body, res) => (hits.push('follower'), reply(res, 307, { error: 'not-leader', leader, definite: true })),
    );
    const c = pool([follower, leader]).open(0);
    expect(await c.invoke({ f: 'read', key: 1, value: null })).toEqual({ type: 'ok', value: 1, node: 'n2' });
    expect(hits).toEqual(['follower', 'leader']);
  });

  it('hands a read at a node that names no leader to the leader the writers found', async () => {
    const hits: string[] = [];
    const leader = await serve((req, _body, res) => (hits.push(`leader ${req.method}`), reply(res, 200, { value: 5 })));
    const cutOff = await serve(
      (req, _body, res) => (
        hits.push(`cut-off ${req.method}`),
        reply(res, 307, { error: 'not-leader', definite: true })
      ),
    );
    const p = pool([leader, cutOff]);
    expect(await p.open(0).invoke({ f: 'write', key: 1, value: 5 })).toMatchObject({ type: 'ok', node: 'n1' });
    expect(await p.open(1).invoke({ f: 'read', key: 1, value: null })).toEqual({ type: 'ok', value: 5, node: 'n1' });
    expect(hits).toEqual(['leader PUT', 'cut-off GET', 'leader GET']);
  });

  it('fails a read at a follower that knows no leader, or names one that stopped answering writes', async () => {
    const silent = await serve(() => undefined);
    const leaderless = await serve((_req, _body, res) => reply(res, 307, { error: 'not-leader', definite: true }));
    const naming = await serve((_req, _body, res) =>
      reply(res, 307, { error: 'not-leader', leader: silent, definite: true }),
    );
    const p = pool([silent, naming, leaderless], 5000);
    expect(await p.open(2).invoke({ f: 'read', key: 1, value: null })).toMatchObject({
      type: 'fail',
      error: 'not-leader',
      node: 'n3',
    });
    // A write that times out at the silent node makes it suspect; the follower still names it.
    expect(await p.open(0).invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({ type: 'info' });
    expect(await p.open(1).invoke({ f: 'read', key: 1, value: null })).toMatchObject({
      type: 'fail',
      error: 'not-leader',
      node: 'n2',
    });
  });

  it('a deposed leader that still answers reads is recorded: the read is ok at the node it went to', async () => {
    const stale = await serve((_req, _body, res) => reply(res, 200, { value: 'old' }));
    const fresh = await serve((_req, _body, res) => reply(res, 200, { value: 'new' }));
    const p = pool([stale, fresh]);
    expect(await p.open(0).invoke({ f: 'read', key: 1, value: null })).toEqual({
      type: 'ok',
      value: 'old',
      node: 'n1',
    });
    expect(await p.open(1).invoke({ f: 'read', key: 1, value: null })).toEqual({
      type: 'ok',
      value: 'new',
      node: 'n2',
    });
  });

  it("sends every process's writes to the last leader any process saw", async () => {
    const hits: string[] = [];
    const leader = await serve((_req, _body, res) => (hits.push('leader'), reply(res, 200, {})));
    const follower = await serve(
      (_req, _body, res) => (hits.push('follower'), reply(res, 307, { error: 'not-leader', leader, definite: true })),
    );
    const p = pool([follower, leader]);
    // Process 0 learns the leader from a redirect; process 2 (also homed on the follower) goes straight there.
    expect(await p.open(0).invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({ type: 'ok', node: 'n2' });
    expect(await p.open(2).invoke({ f: 'cas', key: 1, value: [1, 2] })).toMatchObject({ type: 'ok', node: 'n2' });
    expect(hits).toEqual(['follower', 'leader', 'leader']);
  });

  it('fails over fast from a leader that stops answering: info for that write, the next write goes elsewhere', async () => {
    const hits: string[] = [];
    const silent = await serve(() => void hits.push('silent'));
    // The other node has not noticed yet and still names the silent one; it is passed over.
    const other = await serve(
      (_req, _body, res) => (
        hits.push('other'),
        reply(res, 307, { error: 'not-leader', leader: silent, definite: true })
      ),
    );
    const p = pool([silent, other], 5000);
    const t0 = Date.now();
    expect(await p.open(0).invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({ type: 'info', error: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await p.open(1).invoke({ f: 'write', key: 1, value: 2 })).toMatchObject({
      type: 'fail',
      error: 'not-leader',
    });
    expect(hits).toEqual(['silent', 'other']);
  });
});
