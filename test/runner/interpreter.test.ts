import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { type HistoryEvent } from '../../src/history/index.js';
import { interpret } from '../../src/runner/interpreter.js';
import { Recorder } from '../../src/runner/recorder.js';
import { kvWorkload, limit, raftkvClientPool, registerWorkload, timeLimit } from '../../workloads/index.js';

/**
 * A tiny single-threaded key-value server speaking the raftkv client API on loopback: one copy of
 * the data, so whatever it answers is linearizable. `hang` makes chosen writes never answer.
 */
async function kvServer(hang: (n: number) => boolean = () => false, delayMs = 0) {
  const data = new Map<string, unknown>();
  let writes = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
      const key = decodeURIComponent(req.url!.split('/')[2]!);
      const send = (status: number, answer: unknown) =>
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer));
        }, delayMs);
      if (req.method === 'GET') return send(200, { value: data.get(key) ?? null });
      if (hang(writes++)) return; // never answers: the client times out
      if (req.method === 'PUT') {
        data.set(key, body.value);
        return send(200, { value: body.value });
      }
      const current = data.get(key) ?? null;
      if (current !== body.expected) return send(409, { error: 'cas-mismatch', definite: true, current });
      data.set(key, body.new);
      send(200, { value: [body.expected, body.new] });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

function memoryRecorder() {
  const events: HistoryEvent[] = [];
  return { events, recorder: new Recorder({ append: (e) => void events.push(e) }) };
}

describe('the generator interpreter', () => {
  it('records a well-formed history that checks as linearizable against a single-copy server', async () => {
    const url = await kvServer();
    const { events, recorder } = memoryRecorder();
    const pool = raftkvClientPool({ endpoints: [{ node: 'n1', url }], opTimeoutMs: 2000 });
    const w = kvWorkload({ concurrency: 8, rate: 0, seed: 3, opsPerKey: 50 });
    await interpret({ generator: limit(1500, w.generator()), pool, recorder, threads: 8 });
    await pool.close();
    const invokes = events.filter((e) => e.type === 'invoke');
    expect(invokes).toHaveLength(1500);
    expect(events).toHaveLength(3000);
    // At most one op outstanding per process, and times never go backwards.
    const open = new Set<unknown>();
    let last = 0;
    for (const e of events) {
      expect(e.time).toBeGreaterThanOrEqual(last);
      last = e.time;
      if (e.type === 'invoke') {
        expect(open.has(e.process)).toBe(false);
        open.add(e.process);
      } else {
        expect(open.has(e.process)).toBe(true);
        open.delete(e.process);
      }
    }
    // Each key takes 50 ops that did not fail (a failed cas is given back), so at least 1500 / 100
    // keys when no more than half fail.
    expect(new Set(invokes.map((e) => e.key)).size).toBeGreaterThanOrEqual(1500 / 100);
    const result = await check(events, { model: 'kv' });
    expect(result.valid).toBe(true);
  });

  it('retires a process whose write timed out and carries on with a fresh process number', async () => {
    const url = await kvServer((n) => n % 10 === 3);
    const { events, recorder } = memoryRecorder();
    const pool = raftkvClientPool({ endpoints: [{ node: 'n1', url }], opTimeoutMs: 300 });
    const w = registerWorkload({ concurrency: 3, rate: 0, seed: 1 });
    await interpret({ generator: limit(120, w.generator()), pool, recorder, threads: 3 });
    await pool.close();
    const infos = events.filter((e) => e.type === 'info');
    expect(infos.length).toBeGreaterThan(0);
    for (const info of infos) {
      expect(info.error).toBe('timeout');
      const after = events.slice(events.indexOf(info) + 1);
      expect(after.some((e) => e.process === info.process)).toBe(false);
    }
    // A fresh number (old + concurrency) takes over only from a process that ended in info.
    const retired = new Set(infos.map((e) => e.process));
    const processes = [...new Set(events.map((e) => e.process as number))];
    expect(processes.length).toBeGreaterThan(3);
    for (const p of processes) if (p >= 3) expect(retired.has(p - 3)).toBe(true);
    expect((await check(events, { model: 'register' })).valid).toBe(true);
  });

  it('stops issuing ops when asked to stop and lets the ops in flight complete', async () => {
    // Slow answers, so the stop comes while ops are in flight.
    const url = await kvServer(() => false, 150);
    const { events, recorder } = memoryRecorder();
    const pool = raftkvClientPool({ endpoints: [{ node: 'n1', url }], opTimeoutMs: 2000 });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const t0 = Date.now();
    await interpret({
      generator: timeLimit(60e9, registerWorkload({ concurrency: 4, rate: 100, seed: 1 }).generator()),
      pool,
      recorder,
      threads: 4,
      signal: stop.signal,
    });
    await pool.close();
    expect(Date.now() - t0).toBeLessThan(10_000);
    const invokes = events.filter((e) => e.type === 'invoke').length;
    expect(invokes).toBeGreaterThan(0);
    expect(events.length).toBe(2 * invokes);
  });
});
