import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { etcdClientPool, type ClientPool } from '../../../workloads/index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const servers: http.Server[] = [];
const pools: ClientPool[] = [];

/** A tiny in-memory stand-in for etcd's JSON gateway, enough to see the requests the client sends. */
async function fakeGateway(store: Map<string, string>, requests: { url?: string; body: unknown }[]) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
      requests.push({ url: req.url, body });
      let answer: unknown = {};
      if (req.url === '/v3/kv/range') {
        const v = store.get(body.key as string);
        answer = v === undefined ? { count: '0' } : { kvs: [{ key: body.key, value: v }], count: '1' };
      } else if (req.url === '/v3/kv/put') {
        store.set(body.key as string, body.value as string);
      } else if (req.url === '/v3/kv/txn') {
        const [cmp] = body.compare as { key: string; value: string }[];
        const [op] = body.success as { request_put: { key: string; value: string } }[];
        const succeeded = store.get(cmp!.key) === cmp!.value;
        if (succeeded) store.set(op!.request_put.key, op!.request_put.value);
        answer = { succeeded };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('etcd client', () => {
  it('reads with range, writes with put and does cas as a txn comparing the value', async () => {
    const store = new Map<string, string>();
    const requests: { url?: string; body: unknown }[] = [];
    const url = await fakeGateway(store, requests);
    const p = etcdClientPool({ endpoints: [{ node: 'n1', url }], opTimeoutMs: 2000 });
    pools.push(p);
    const c = p.open(0);
    expect(await c.invoke({ f: 'read', key: 3, value: null })).toEqual({ type: 'ok', value: null, node: 'n1' });
    expect(await c.invoke({ f: 'write', key: 3, value: 2 })).toEqual({ type: 'ok', value: 2, node: 'n1' });
    expect(await c.invoke({ f: 'read', key: 3, value: null })).toEqual({ type: 'ok', value: 2, node: 'n1' });
    expect(await c.invoke({ f: 'cas', key: 3, value: [1, 4] })).toMatchObject({ type: 'fail', error: 'cas-mismatch' });
    expect(await c.invoke({ f: 'cas', key: 3, value: [2, 4] })).toEqual({ type: 'ok', value: [2, 4], node: 'n1' });
    expect(await c.invoke({ f: 'read', key: 3, value: null })).toMatchObject({ value: 4 });
    expect(requests[1]).toEqual({ url: '/v3/kv/put', body: { key: b64('splitbrain/3'), value: b64('2') } });
  });

  it('gives info for a write when the gateway answers an error, and fail for such a read', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'etcdserver: request timed out', code: 14 }));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const p = etcdClientPool({ endpoints: [{ node: 'n1', url }], opTimeoutMs: 2000 });
    pools.push(p);
    expect(await p.open(0).invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({
      type: 'info',
      error: 'etcdserver: request timed out',
    });
    expect(await p.open(0).invoke({ f: 'read', key: 1, value: null })).toMatchObject({ type: 'fail' });
  });

  it('asks for linearizable ranges by default and for serializable ones only when told to', async () => {
    const store = new Map<string, string>();
    const requests: { url?: string; body: unknown }[] = [];
    const url = await fakeGateway(store, requests);
    const plain = etcdClientPool({ endpoints: [{ node: 'n1', url }], opTimeoutMs: 2000 });
    const serializable = etcdClientPool({
      endpoints: [{ node: 'n1', url }],
      opTimeoutMs: 2000,
      readConsistency: 'serializable',
    });
    pools.push(plain, serializable);
    await plain.open(0).invoke({ f: 'read', key: 1, value: null });
    await serializable.open(0).invoke({ f: 'read', key: 1, value: null });
    await serializable.open(0).invoke({ f: 'write', key: 1, value: 3 });
    expect(requests.map((r) => r.body)).toEqual([
      { key: b64('splitbrain/1') },
      { key: b64('splitbrain/1'), serializable: true },
      { key: b64('splitbrain/1'), value: b64('3') },
    ]);
  });

  it('leaves a member that does not answer a write after a short wait (info) and writes at another; reads stay at their own member', async () => {
    const silent = http.createServer(() => undefined); // takes requests and never answers, as a member cut off from the others
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const url = await fakeGateway(new Map(), []);
    const p = etcdClientPool({
      endpoints: [
        { node: 'n1', url: silentUrl },
        { node: 'n2', url },
      ],
      opTimeoutMs: 5000,
    });
    pools.push(p);
    const c = p.open(0);
    const started = Date.now();
    expect(await c.invoke({ f: 'write', key: 1, value: 1 })).toMatchObject({
      type: 'info',
      error: 'timeout',
      node: 'n1',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await p.open(10).invoke({ f: 'write', key: 1, value: 2 })).toEqual({ type: 'ok', value: 2, node: 'n2' });
    expect(await p.open(20).invoke({ f: 'cas', key: 1, value: [2, 3] })).toEqual({
      type: 'ok',
      value: [2, 3],
      node: 'n2',
    });
    expect(await p.open(30).invoke({ f: 'read', key: 1, value: null })).toMatchObject({ type: 'fail', node: 'n1' });
    expect(await p.open(31).invoke({ f: 'read', key: 1, value: null })).toEqual({ type: 'ok', value: 3, node: 'n2' });
  });
});
