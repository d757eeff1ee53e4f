import { existsSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalRaftkvCluster } from '../support/local-raftkv-cluster.js';

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

function call(
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; value?: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, method, path, agent, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value?: unknown };
        resolve({ status: res.statusCode ?? 0, value: b.value });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

/** Writes `count` increasing values to each of `keys` keys, one writer per key; returns the final value per key. */
async function writeMany(port: number, count: number, keys: number, tag: string): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  const writer = async (k: number): Promise<void> => {
    for (let i = 1; i <= count; i++) {
      const r = await call(port, 'PUT', `/kv/k${k}`, { value: i, requestId: `${tag}:${k}:${i}` });
      expect(r.status).toBe(200);
      last.set(`k${k}`, i);
    }
  };
  await Promise.all(Array.from({ length: keys }, (_, k) => writer(k)));
  return last;
}

describe('raftkv: snapshots, compaction and restart from disk', () => {
  let cluster: LocalRaftkvCluster | undefined;

  beforeAll(() => {
    if (!existsSync(LocalRaftkvCluster.entry))
      throw new Error(`${LocalRaftkvCluster.entry} missing: run 'npm run build' first`);
  });

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('brings a follower that missed more than a snapshot interval up to date, and every node survives a full kill -9 restart', async () => {
    const basePort = 33_000 + Math.floor(Math.random() * 200) * 150;
    cluster = new LocalRaftkvCluster({ basePort, extraArgs: ['--snapshot-entries', '100'] });
    let leader = await cluster.start();
    const follower = cluster.ids.find((id) => id !== leader)!;
    await cluster.kill(follower);

    const written = await writeMany(cluster.clientPort(leader), 60, 10, 'a');
    const leaderStatus = (await cluster.status(leader))!;
    expect(leaderStatus.commit).toBeGreaterThan(600);
    // The leader compacted its WAL to a snapshot: one snapshot file, far less than 600 entries of log.
    expect(readdirSync(join(cluster.dir, leader)).filter((f) => f.startsWith('snap-'))).toHaveLength(1);

    cluster.startNode(follower);
    const deadline = Date.now() + 20_000;
    let applied = 0;
    while (Date.now() < deadline && applied < leaderStatus.commit) {
      applied = (await cluster.status(follower))?.applied ?? 0;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(applied).toBeGreaterThanOrEqual(leaderStatus.commit);

    // Kill every node at once and start them again: state comes back from snapshot + WAL.
    for (const id of cluster.ids) await cluster.kill(id);
    for (const id of cluster.ids) cluster.startNode(id);
    leader = await cluster.waitForLeader(20_000);
    expect(written.size).toBe(10);
    for (const [key, last] of written) {
      const r = await call(cluster.clientPort(leader), 'GET', `/kv/${key}`);
      expect(r).toEqual({ status: 200, value: last });
    }
  });

  it('loses acknowledged writes on a kill -9 of every node when ack-before-persist is switched on', async () => {
    const basePort = 33_000 + Math.floor(Math.random() * 200) * 150;
    cluster = new LocalRaftkvCluster({ basePort, bugs: ['ack-before-persist'] });
    const c = cluster;
    const leader = await c.start();
    for (let i = 1; i <= 10; i++) {
      const r = await call(c.clientPort(leader), 'PUT', '/kv/lost', { value: i, requestId: `l:${i}` });
      expect(r).toEqual({ status: 200, value: i });
    }
    // The bug writes the WAL two seconds after acknowledging: kill everything before that.
    await Promise.all(c.ids.map((id) => c.kill(id)));
    for (const id of c.ids) c.startNode(id);
    const again = await c.waitForLeader(20_000);
    const r = await call(c.clientPort(again), 'GET', '/kv/lost');
    expect(r?.status).toBe(200);
    expect(r?.value).not.toBe(10);
  });
});
