/**
 * `npm run bench:kv`: the same client load against a 3-node local raftkv and a 3-node local etcd
 * (Debian's /usr/bin/etcd 3.4, fsync on, its v3 JSON gateway), printing ops/s and p50/p99 latency
 * for each and the throughput ratio raftkv/etcd. The last line ends `ratio R`.
 *
 * Load: 64 concurrent clients, each with one request outstanding, 50% writes / 50% linearizable
 * reads over 1000 keys, all sent to the leader over keep-alive HTTP/1.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalRaftkvCluster } from '../../cluster/raftkv/node/index.js';

const CLIENTS = 64;
const WRITE_RATIO = 0.5;
const KEYS = 1000;
const DURATION_MS = Number(process.env.BENCH_KV_SECONDS ?? 12) * 1000;
const WARMUP_MS = 1000;
const ETCD = '/usr/bin/etcd';

interface HttpResult {
  status: number;
  body: string;
}

function post(agent: Agent, port: number, method: string, path: string, body: string | undefined, timeoutMs = 5000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, agent, timeout: timeoutMs, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** One system under load: how to do one read or one write; resolves true when it succeeded. */
interface Target {
  name: string;
  read(key: string): Promise<boolean>;
  write(key: string, value: string): Promise<boolean>;
}

interface LoadResult {
  ops: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** Runs CLIENTS closed-loop clients for DURATION_MS after a warm-up; counts only successful ops. */
async function runLoad(t: Target): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const client = async (c: number): Promise<void> => {
    let n = 0;
    while (!stop) {
      const key = `key-${Math.floor(Math.random() * KEYS)}`;
      const isWrite = Math.random() < WRITE_RATIO;
      const t0 = performance.now();
      let ok: boolean;
      try {
        ok = isWrite ? await t.write(key, `c${c}-${n++}`) : await t.read(key);
      } catch {
        ok = false;
      }
      if (!measuring) continue;
      if (ok) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  const all = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, DURATION_MS));
  measuring = false;
  const seconds = (performance.now() - start) / 1000;
  stop = true;
  await all;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { ops: latencies.length, errors, seconds, p50: pct(0.5), p99: pct(0.99) };
}

function describe(name: string, r: LoadResult): string {
  return (
    `${name.padEnd(6)} ${(r.ops / r.seconds).toFixed(0).padStart(7)} ops/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms` +
    `  (${r.ops} ok, ${r.errors} errors in ${r.seconds.toFixed(1)} s)`
  );
}

async function benchRaftkv(): Promise<LoadResult> {
  const cluster = new LocalRaftkvCluster({ basePort: 42_000 });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const leader = await cluster.start();
    const port = cluster.clientPort(leader);
    let id = 0;
    const target: Target = {
      name: 'raftkv',
      read: async (key) => (await post(agent, port, 'GET', `/kv/${key}`, undefined)).status === 200,
      write: async (key, value) =>
        (await post(agent, port, 'PUT', `/kv/${key}`, JSON.stringify({ value, requestId: `b:${++id}` }))).status === 200,
    };
    return await runLoad(target);
  } finally {
    agent.destroy();
    await cluster.stop();
  }
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

async function benchEtcd(): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-etcd-'));
  const names = ['e1', 'e2', 'e3'];
  const peer = (i: number) => 43_001 + i;
  const client = (i: number) => 43_101 + i;
  const initial = names.map((n, i) => `${n}=http://127.0.0.1:${peer(i)}`).join(',');
  const procs: ChildProcess[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    names.forEach((name, i) => {
      const log = openSync(join(dir, `${name}.log`), 'a');
      procs.push(
        spawn(
          ETCD,
          [
            '--name', name,
            '--data-dir', join(dir, name),
            '--listen-client-urls', `http://127.0.0.1:${client(i)}`,
            '--advertise-client-urls', `http://127.0.0.1:${client(i)}`,
            '--listen-peer-urls', `http://127.0.0.1:${peer(i)}`,
            '--initial-advertise-peer-urls', `http://127.0.0.1:${peer(i)}`,
            '--initial-cluster', initial,
            '--initial-cluster-token', 'splitbrain-bench',
            '--initial-cluster-state', 'new',
            '--logger', 'zap',
            '--log-level', 'warn',
          ],
          { stdio: ['ignore', log, log] },
        ),
      );
      closeSync(log);
    });
    // The leader is the member whose status names itself as leader.
    let leaderPort: number | undefined;
    const deadline = Date.now() + 30_000;
    while (leaderPort === undefined && Date.now() < deadline) {
      for (let i = 0; i < names.length && leaderPort === undefined; i++) {
        try {
          const r = await post(agent, client(i), 'POST', '/v3/maintenance/status', '{}', 1000);
          const s = JSON.parse(r.body) as { header?: { member_id?: string }; leader?: string };
          if (s.leader && s.leader !== '0' && s.header?.member_id === s.leader) leaderPort = client(i);
        } catch {
          // Not up yet.
        }
      }
      if (leaderPort === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    if (leaderPort === undefined) throw new Error(`etcd elected no leader within 30 s (logs in ${dir})`);
    const port = leaderPort;
    const target: Target = {
      name: 'etcd',
      read: async (key) => (await post(agent, port, 'POST', '/v3/kv/range', JSON.stringify({ key: b64(key) }))).status === 200,
      write: async (key, value) =>
        (await post(agent, port, 'POST', '/v3/kv/put', JSON.stringify({ key: b64(key), value: b64(JSON.stringify(value)) }))).status === 200,
    };
    return await runLoad(target);
  } finally {
    agent.destroy();
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((r) => {
            if (p.exitCode !== null || p.signalCode !== null) return r();
            p.once('exit', () => r());
            p.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs both benchmarks one after the other and prints the comparison. */
export async function run(): Promise<void> {
  console.log(`kv load: ${CLIENTS} clients, ${WRITE_RATIO * 100}% writes, ${KEYS} keys, ${DURATION_MS / 1000} s each, requests to the leader`);
  const rk = await benchRaftkv();
  console.log(describe('raftkv', rk));
  if (!existsSync(ETCD)) {
    console.log(`etcd: ${ETCD} not installed (apt-get install -y etcd-server); no ratio`);
    return;
  }
  const et = await benchEtcd();
  console.log(describe('etcd', et));
  const ratio = rk.ops / rk.seconds / (et.ops / et.seconds);
  console.log(`raftkv/etcd throughput ratio ${ratio.toFixed(2)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
