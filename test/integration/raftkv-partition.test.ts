import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRaftkvCluster } from '../support/local-raftkv-cluster.js';

// Each node gets its own loopback address so an iptables DROP between addresses partitions it,
// exactly as the nemesis does (connects and writes hang; nothing is refused).
const SUBNET = '127.0.77';
const HOSTS = [`${SUBNET}.1`, `${SUBNET}.2`, `${SUBNET}.3`];

function iptablesUsable(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('iptables', ['-S', 'INPUT'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function call(
  host: string,
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; value?: unknown } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, method, path, agent, timeout: 3000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({
            status: res.statusCode ?? 0,
            value: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value?: unknown }).value,
          });
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!iptablesUsable())('raftkv: an iptables DROP partition on loopback', () => {
  let cluster: LocalRaftkvCluster | undefined;
  const rules: string[][] = [];

  const drop = (src: string, dst: string): void => {
    const rule = ['INPUT', '-s', src, '-d', dst, '-j', 'DROP'];
    execFileSync('iptables', ['-I', ...rule]);
    rules.push(rule);
  };
  const heal = (): void => {
    while (rules.length > 0) {
      const rule = rules.pop()!;
      try {
        execFileSync('iptables', ['-D', ...rule]);
      } catch {
        // Already gone.
      }
    }
  };

  beforeAll(() => {
    if (!existsSync(LocalRaftkvCluster.entry))
      throw new Error(`${LocalRaftkvCluster.entry} missing: run 'npm run build' first`);
  });

  afterAll(async () => {
    heal();
    agent.destroy();
    await cluster?.stop();
  });

  it('lets the majority elect a new leader and take writes, and the cut-off leader rejoins after the heal', async () => {
    const basePort = 36_000 + Math.floor(Math.random() * 100) * 150;
    cluster = new LocalRaftkvCluster({ basePort, hosts: HOSTS });
    const c = cluster;
    const old = await c.start();
    const oldHost = c.host(old);
    for (const other of c.ids.filter((id) => id !== old)) {
      drop(oldHost, c.host(other));
      drop(c.host(other), oldHost);
    }
    const cutAt = Date.now();
    const leader = await c.waitForLeader(15_000, [old]);
    console.log(`raftkv partition: ${old} cut off, ${leader} leads the majority after ${Date.now() - cutAt} ms`);
    expect(leader).not.toBe(old);

    // The majority serves writes while the old leader cannot commit anything.
    for (let i = 1; i <= 20; i++) {
      const r = await call(c.host(leader), c.clientPort(leader), 'PUT', '/kv/p', { value: i, requestId: `p:${i}` });
      expect(r?.status).toBe(200);
    }
    const stale = await call(oldHost, c.clientPort(old), 'PUT', '/kv/p', { value: -1, requestId: 'p:stale' });
    expect(stale?.status).not.toBe(200);
    // A linearizable read at the cut-off node never returns the pre-partition value as current.
    const staleRead = await call(oldHost, c.clientPort(old), 'GET', '/kv/p');
    expect(staleRead?.status).not.toBe(200);

    heal();
    const target = (await c.status(leader))!.commit;
    const deadline = Date.now() + 20_000;
    let s = await c.status(old);
    while (Date.now() < deadline && !(s && s.role === 'follower' && s.applied >= target)) {
      await sleep(100);
      s = await c.status(old);
    }
    expect(s?.role).toBe('follower');
    expect(s!.applied).toBeGreaterThanOrEqual(target);
    const final = await call(c.host(leader), c.clientPort(leader), 'GET', '/kv/p');
    expect(final).toEqual({ status: 200, value: 20 });
  });
});
