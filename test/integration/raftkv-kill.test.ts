import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRaftkvCluster } from '../support/local-raftkv-cluster.js';

interface Answer {
  status: number;
  body: { value?: unknown; error?: string; leader?: string | null; definite?: boolean };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function call(
  port: number,
  method: string,
  path: string,
  body: unknown,
  timeoutMs = 3000,
): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        timeout: timeoutMs,
        headers: data ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'],
            });
          } catch {
            resolve(undefined);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(data);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('raftkv: three real node processes on loopback', () => {
  const basePort = 30_000 + Math.floor(Math.random() * 200) * 150;
  let cluster: LocalRaftkvCluster;

  beforeAll(() => {
    if (!existsSync(LocalRaftkvCluster.entry))
      throw new Error(`${LocalRaftkvCluster.entry} missing: run 'npm run build' first`);
  });

  afterAll(async () => {
    agent.destroy();
    await cluster?.stop();
  });

  it('elects a new leader within 2 s of a kill -9 of the leader under load, and loses no acknowledged write', async () => {
    cluster = new LocalRaftkvCluster({ basePort });
    let leader = await cluster.start();
    const ports = () => cluster.ids.filter((id) => cluster.running(id)).map((id) => cluster.clientPort(id));
    let leaderPort = cluster.clientPort(leader);

    const clients = 16;
    const maxAcked = new Map<string, number>();
    let acked = 0;
    let ackedAfterFailover = 0;
    let failedOver = false;
    let stop = false;

    // Each client writes increasing numbers to its own key, one op at a time, following
    // redirects; an acknowledged write n means the key must finally hold n or more.
    const runClient = async (c: number): Promise<void> => {
      const key = `k${c}`;
      let seq = 0;
      let port = leaderPort;
      while (!stop) {
        seq++;
        const a = await call(port, 'PUT', `/kv/${key}`, { value: seq, requestId: `c${c}:${seq}` });
        if (a?.status === 200) {
          maxAcked.set(key, seq);
          acked++;
          if (failedOver) ackedAfterFailover++;
        } else if (a?.status === 307 && a.body.leader) {
          port = Number(a.body.leader.split(':')[1]);
        } else {
          // Dead node, timeout or election in progress: try another node after a pause.
          const live = ports();
          port = live[Math.floor(Math.random() * live.length)] ?? port;
          await sleep(50);
        }
        if (seq % 4 === 0) await call(port, 'GET', `/kv/${key}`, undefined);
      }
    };
    const load = Promise.all(Array.from({ length: clients }, (_, c) => runClient(c)));

    await sleep(2000);
    const ackedBeforeKill = acked;
    expect(ackedBeforeKill).toBeGreaterThan(20);
    const killedAt = Date.now();
    await cluster.kill(leader);
    const old = leader;
    leader = await cluster.waitForLeader(10_000, [old]);
    const failoverMs = Date.now() - killedAt;
    failedOver = true;
    leaderPort = cluster.clientPort(leader);
    console.log(
      `raftkv failover: ${old} killed, ${leader} leads after ${failoverMs} ms; ${ackedBeforeKill} writes acknowledged before`,
    );
    expect(leader).not.toBe(old);
    // Raft with a 500-1000 ms randomized election timeout elects well inside this bound.
    expect(failoverMs).toBeLessThan(2000);

    await sleep(1500);
    cluster.startNode(old);
    await sleep(1500);
    stop = true;
    await load;
    expect(ackedAfterFailover).toBeGreaterThan(20);

    // The restarted node catches up to the leader's commit index from its WAL plus replication.
    const target = (await cluster.status(leader))!.commit;
    const deadline = Date.now() + 20_000;
    let caughtUp = false;
    while (Date.now() < deadline && !caughtUp) {
      const s = await cluster.status(old);
      caughtUp = s !== undefined && s.applied >= target;
      if (!caughtUp) await sleep(100);
    }
    expect(caughtUp).toBe(true);

    for (const [key, n] of maxAcked) {
      const a = await call(cluster.clientPort(await cluster.waitForLeader()), 'GET', `/kv/${key}`, undefined);
      expect(a?.status).toBe(200);
      expect(typeof a?.body.value).toBe('number');
      expect(a!.body.value as number).toBeGreaterThanOrEqual(n);
    }
  });
});
