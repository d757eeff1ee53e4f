/**
 * Maelstrom relays on loopback, driven directly (no runtime): they greet their binaries with
 * init, carry node-to-node messages over TCP, answer clients, restart a killed binary in its
 * working directory, refuse Maelstrom's services, and record messages when asked.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maelstromClientPool } from '../../workloads/clients/maelstrom-client.js';
import {
  linKvNodePath,
  relayMainPath,
  startLoopbackRelays,
  type LoopbackRelays,
} from '../fixtures/maelstrom/loopback-relays.js';

let group: LoopbackRelays | undefined;

beforeAll(() => {
  if (!existsSync(relayMainPath())) throw new Error(`${relayMainPath()} is missing: run 'npm run build' first`);
});
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('the Maelstrom relay', () => {
  it('lets a client write through one node and read it back through another', async () => {
    group = await startLoopbackRelays({ count: 3, bin: linKvNodePath() });
    const pool = maelstromClientPool({ endpoints: group.endpoints, opTimeoutMs: 5000 });
    try {
      const viaN2 = pool.open(1);
      const viaN3 = pool.open(2);
      expect(await viaN2.invoke({ f: 'read', key: 'k' })).toMatchObject({
        type: 'fail',
        error: /key-does-not-exist \(20\)/,
      });
      expect(await viaN2.invoke({ f: 'write', key: 'k', value: 5 })).toEqual({ type: 'ok', value: 5, node: 'n2' });
      expect(await viaN3.invoke({ f: 'read', key: 'k' })).toEqual({ type: 'ok', value: 5, node: 'n3' });
      expect(await viaN3.invoke({ f: 'cas', key: 'k', value: [4, 6] })).toMatchObject({
        type: 'fail',
        error: /precondition-failed \(22\)/,
      });
      expect((await viaN2.invoke({ f: 'cas', key: 'k', value: [5, 6] })).type).toBe('ok');
    } finally {
      await pool.close();
    }
  });

  it('restarts a killed binary with a fresh init, keeping only its working directory', async () => {
    group = await startLoopbackRelays({ count: 3, bin: linKvNodePath() });
    const pool = maelstromClientPool({ endpoints: group.endpoints, opTimeoutMs: 2000 });
    try {
      const c = pool.open(0);
      expect((await c.invoke({ f: 'write', key: 1, value: 42 })).type).toBe('ok');
      const n1 = group.controls.get('n1')!;
      const first = await n1.request('start', 5000); // already running: the same pid
      expect((await n1.request('kill', 5000)).ok).toBe(true);
      // While the leader is down a read gets no answer: fail after the op timeout.
      expect(await pool.open(1).invoke({ f: 'read', key: 1 })).toMatchObject({ type: 'fail', error: 'timeout' });
      const again = await n1.request('start', 5000);
      expect(again.ok).toBe(true);
      expect(again.pid).not.toBe(first.pid);
      expect(await pool.open(2).invoke({ f: 'read', key: 1 })).toMatchObject({ type: 'ok', value: 42 });
      expect(readFileSync(path.join(group.workDirs.get('n1')!, 'store.json'), 'utf8')).toContain('42');
      expect(group.stderr.get('n1')!.match(/lin-kv node started/g)).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });

  it('answers a call to a Maelstrom service with error 10 and reports it once', async () => {
    // A node that asks lin-kv for a key on init_ok and prints what it got back on stderr.
    const script = `
      let me; process.stdin.setEncoding('utf8'); let rest = '';
      const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
      process.stdin.on('data', (c) => { const ls = (rest + c).split('\\n'); rest = ls.pop();
        for (const l of ls) { const m = JSON.parse(l);
          if (m.body.type === 'init') { me = m.body.node_id; out({ src: me, dest: m.src, body: { type: 'init_ok', in_reply_to: m.body.msg_id } });
            out({ src: me, dest: 'lin-kv', body: { type: 'read', key: 'x', msg_id: 7 } }); }
          else process.stderr.write('got ' + JSON.stringify(m.body) + '\\n'); } });`;
    group = await startLoopbackRelays({ count: 1, bin: process.execPath, binArgs: ['-e', script] });
    await waitFor(() => group!.stderr.get('n1')!.includes('got '));
    expect(group.stderr.get('n1')).toContain('"type":"error","in_reply_to":7,"code":10');
    const notices = group.events.filter((e) => e.event.event === 'notice');
    expect(notices).toHaveLength(1);
    expect(JSON.stringify(notices[0]!.event)).toContain("called Maelstrom's lin-kv service");
  });

  it('reports every inter-node message sent and delivered when asked to record', async () => {
    group = await startLoopbackRelays({ count: 3, bin: linKvNodePath(), record: true });
    const pool = maelstromClientPool({ endpoints: group.endpoints, opTimeoutMs: 5000 });
    try {
      expect((await pool.open(2).invoke({ f: 'write', key: 'a', value: 1 })).type).toBe('ok');
    } finally {
      await pool.close();
    }
    await waitFor(() => group!.events.filter((e) => e.event.event === 'recv').length >= 2);
    const kinds = group.events.map((e) => e.event);
    const fwd = kinds.find((e) => e.event === 'send' && e.from === 'n3' && e.to === 'n1');
    expect(fwd).toMatchObject({ event: 'send', body: { type: 'fwd' } });
    const delivered = kinds.find((e) => e.event === 'recv' && e.id === (fwd as { id: string }).id);
    expect(delivered).toMatchObject({ from: 'n3', to: 'n1' });
    expect(kinds.find((e) => e.event === 'send' && e.from === 'n1' && e.to === 'n3')).toMatchObject({
      body: { type: 'fwd_ok' },
    });
  });

  it('logs a fatal line when a binary exits by itself, and none when it is killed', async () => {
    const script = `
      let rest = ''; process.stdin.setEncoding('utf8');
      process.stdin.on('data', (c) => { const ls = (rest + c).split('\\n'); rest = ls.pop();
        for (const l of ls) { const m = JSON.parse(l);
          if (m.body.type === 'init') process.stdout.write(JSON.stringify({ src: m.dest, dest: m.src, body: { type: 'init_ok', in_reply_to: m.body.msg_id } }) + '\\n');
          if (m.body.type === 'die') process.exit(7); } });`;
    group = await startLoopbackRelays({ count: 2, bin: process.execPath, binArgs: ['-e', script] });
    expect((await group.controls.get('n1')!.request('kill', 5000)).ok).toBe(true);
    const s = net.connect(Number(new URL(group.endpoints[1]!.url).port), '127.0.0.1');
    s.write('{"hello":"client"}\n{"src":"c1","dest":"n2","body":{"type":"die","msg_id":1}}\n');
    await waitFor(() => group!.events.some((e) => e.event.event === 'exit'));
    s.destroy();
    expect(group.events.filter((e) => e.event.event === 'exit').map((e) => e.node)).toEqual(['n2']);
    await waitFor(() => group!.stderr.get('n2')!.includes('fatal'));
    expect(group.stderr.get('n2')).toMatch(
      /^\[relay n2\] fatal: the binary \(pid \d+\) exited by itself with code 7$/m,
    );
    expect(group.stderr.get('n1')).not.toContain('fatal');
  });

  it('names the node and the cause when a binary prints a line that is not JSON', async () => {
    await expect(
      startLoopbackRelays({
        count: 2,
        bin: '/bin/sh',
        binArgs: ['-c', 'echo starting >&2; echo hello; cat >/dev/null'],
      }),
    ).rejects.toThrow(/n[12]: the binary printed a line that is not a message: not JSON: "hello"/);
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
