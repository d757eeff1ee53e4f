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
import { LocalRaftkvCluster } from '../support/local-raftkv-cluster.js';

const CLIENTS = 64;
const WRITE_RATIO = 0.5;
const KEYS = 1000;
const DURATION_MS = Number(process.env.BENCH_KV_SECONDS ?? 12) * 1000;
/** The measured time is split into rounds that alternate between the systems, so a shift in the machine's background load hits both alike. */
const ROUNDS = 3;
const WARMUP_MS = 1000;
const ETCD = '/usr/bin/etcd';

interface HttpResult {
  status: number;
  body: string;
}

function post(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  body: string | undefined,
  timeoutMs = 5000,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        timeout: timeoutMs,
        headers: body ? { 'content-type': 'application/json' } : {},
      },
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

/** Raw measurements, accumulated over rounds. */
interface Samples {
  latencies: number[];
  errors: number;
  seconds: number;
}

/** Runs CLIENTS closed-loop clients for `ms` after a warm-up; records only successful ops' latencies. */
async function runLoad(t: Target, ms: number, into: Samples): Promise<void> {
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
      if (ok) into.latencies.push(performance.now() - t0);
      else into.errors++;
    }
  };
  const all = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  measuring = false;
  into.seconds += (performance.now() - start) / 1000;
  stop = true;
  await all;
}

function summarize(s: Samples): LoadResult {
  const latencies = [...s.latencies].sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { ops: latencies.length, errors: s.errors, seconds: s.seconds, p50: pct(0.5), p99: pct(0.99) };
}

function describe(name: string, r: LoadResult): string {
  return (
    `${name.padEnd(6)} ${(r.ops / r.seconds).toFixed(0).padStart(7)} ops/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms` +
    `  (${r.ops} ok, ${r.errors} errors in ${r.seconds.toFixed(1)} s)`
  );
}

/** A started system under test: its load target and how to tear it down. */
interface Started {
  target: Target;
  stop(): Promise<void>;
}

async function startRaftkv(): Promise<Started> {
  const cluster = new LocalRaftkvCluster({ basePort: 42_000 });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const stop = async (): Promise<void> => {
    agent.destroy();
    await cluster.stop();
  };
  try {
    const leader = await cluster.start();
    const port = cluster.clientPort(leader);
    let id = 0;
    const target: Target = {
      name: 'raftkv',
      read: async (key) => (await post(agent, port, 'GET', `/kv/${key}`, undefined)).status === 200,
      write: async (key, value) =>
        (await post(agent, port, 'PUT', `/kv/${key}`, JSON.stringify({ value, requestId: `b:${++id}` }))).status ===
        200,
    };
    return { target, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

async function startEtcd(): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-etcd-'));
  const names = ['e1', 'e2', 'e3'];
  const peer = (i: number) => 43_001 + i;
  const client = (i: number) => 43_101 + i;
  const initial = names.map((n, i) => `${n}=http://127.0.0.1:${peer(i)}`).join(',');
  const procs: ChildProcess[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const stop = async (): Promise<void> => {
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
  };
  try {
    names.forEach((name, i) => {
      const log = openSync(join(dir, `${name}.log`), 'a');
      procs.push(
        spawn(
          ETCD,
          [
            '--name',
            name,
            '--data-dir',
            join(dir, name),
            '--listen-client-urls',
            `http://127.0.0.1:${client(i)}`,
            '--advertise-client-urls',
            `http://127.0.0.1:${client(i)}`,
            '--listen-peer-urls',
            `http://127.0.0.1:${peer(i)}`,
            '--initial-advertise-peer-urls',
            `http://127.0.0.1:${peer(i)}`,
            '--initial-cluster',
            initial,
            '--initial-cluster-token',
            'splitbrain-bench',
            '--initial-cluster-state',
            'new',
            '--logger',
            'zap',
            '--log-level',
            'warn',
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
          const st = JSON.parse(r.body) as { header?: { member_id?: string }; leader?: string };
          if (st.leader && st.leader !== '0' && st.header?.member_id === st.leader) leaderPort = client(i);
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
      read: async (key) =>
        (await post(agent, port, 'POST', '/v3/kv/range', JSON.stringify({ key: b64(key) }))).status === 200,
      write: async (key, value) =>
        (
          await post(
            agent,
            port,
            'POST',
            '/v3/kv/put',
            JSON.stringify({ key: b64(key), value: b64(JSON.stringify(value)) }),
          )
        ).status === 200,
    };
    return { target, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs both systems in alternating rounds and prints the comparison; the last line ends `ratio R`. */
export async function run(): Promise<void> {
  console.log(
    `kv load: ${CLIENTS} clients, ${WRITE_RATIO * 100}% writes, ${KEYS} keys, ${DURATION_MS / 1000} s each ` +
      `in ${ROUNDS} alternating rounds, requests to the leader, fsync on`,
  );
  const withEtcd = existsSync(ETCD);
  if (!withEtcd) console.log(`etcd: ${ETCD} not installed (apt-get install -y etcd-server); raftkv only`);
  const systems: Started[] = [];
  try {
    systems.push(await startRaftkv());
    if (withEtcd) systems.push(await startEtcd());
    const samples = systems.map((): Samples => ({ latencies: [], errors: 0, seconds: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < systems.length; i++) await runLoad(systems[i]!.target, DURATION_MS / ROUNDS, samples[i]!);
    }
    const results = samples.map(summarize);
    systems.forEach((sys, i) => console.log(describe(sys.target.name, results[i]!)));
    if (results.length === 2) {
      const [rk, et] = results as [LoadResult, LoadResult];
      const ratio = rk.ops / rk.seconds / (et.ops / et.seconds);
      console.log(`raftkv/etcd throughput ratio ${ratio.toFixed(2)}`);
    }
  } finally {
    for (const sys of systems) await sys.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
