/**
 * The link proxy over real loopback sockets: a cut holds a connection silently (no data, no
 * close) and delivers everything in order after the heal, cuts are directed, loss delays but
 * never corrupts, and dialers are told apart by source address or, on Linux, by socket owner.
 */
import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DialerFinder, findSocketInode, procTcpAddress } from '../../cluster/runtime/local/link-dialer.js';
import { combineLinkFaults, LinkProxy } from '../../cluster/runtime/local/link-proxy.js';
import { retransmitDelayMs, RTO_MS } from '../../cluster/runtime/local/link-pipe.js';
import { NODE_ENV, RUN_ENV } from '../../cluster/runtime/run-tag.js';
import { createRng } from '../../workloads/index.js';

const A = '127.0.0.2';
const B = '127.0.0.3';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server on B that records what arrives on its one connection and whether it ended. */
async function receiver(): Promise<{
  server: Server;
  port: number;
  got: () => string;
  ended: () => boolean;
  peer: () => Socket | undefined;
}> {
  let data = '';
  let ended = false;
  let peer: Socket | undefined;
  const server = createServer({ allowHalfOpen: true }, (s) => {
    peer = s;
    s.on('data', (c: Buffer) => (data += c.toString()));
    s.on('end', () => (ended = true));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, B, () => r()));
  return {
    server,
    port: (server.address() as { port: number }).port,
    got: () => data,
    ended: () => ended,
    peer: () => peer,
  };
}

async function until(cond: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(20);
  }
  return cond();
}

describe('link proxy', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    while (cleanup.length > 0) cleanup.pop()!();
  });

  async function setup() {
    const proxy = new LinkProxy({
      nodes: new Map([
        ['a', A],
        ['b', B],
      ]),
      runId: 'test',
      log: () => {},
      rng: createRng(7).next,
    });
    const rx = await receiver();
    const via = await proxy.route('b', rx.port);
    const client = connect({ host: via.host, port: via.port, localAddress: A });
    client.on('error', () => {});
    let back = '';
    client.on('data', (c: Buffer) => (back += c.toString()));
    await new Promise((r) => client.once('connect', r));
    cleanup.push(() => {
      client.destroy();
      rx.server.close();
      proxy.close();
    });
    return { proxy, rx, client, back: () => back };
  }

  it('holds a cut link silently and delivers what was sent, in order, once healed', async () => {
    const { proxy, rx, client } = await setup();
    client.write('one,');
    expect(await until(() => rx.got() === 'one,')).toBe(true);
    proxy.setFaults('partition', [{ from: 'a', to: 'b', loss: 1 }]);
    client.write('two,');
    client.end();
    await sleep(400);
    expect(rx.got()).toBe('one,');
    expect(rx.ended()).toBe(false); // no clean close leaks through a cut
    expect(client.destroyed).toBe(false);
    proxy.setFaults('partition', []);
    expect(await until(() => rx.got() === 'one,two,' && rx.ended())).toBe(true);
  });

  it('cuts one direction only: the answers are held, the requests pass', async () => {
    const { proxy, rx, client, back } = await setup();
    proxy.setFaults('partition', [{ from: 'b', to: 'a', loss: 1 }]);
    client.write('ping');
    expect(await until(() => rx.got() === 'ping')).toBe(true);
    rx.peer()!.write('pong');
    await sleep(300);
    expect(back()).toBe('');
    proxy.setFaults('partition', []);
    expect(await until(() => back() === 'pong')).toBe(true);
  });

  it('keeps a connection across a cut waiting, as a dropped SYN does, and completes it after the heal', async () => {
    const proxy = new LinkProxy({
      nodes: new Map([
        ['a', A],
        ['b', B],
      ]),
      runId: 'test',
      log: () => {},
    });
    const rx = await receiver();
    const via = await proxy.route('b', rx.port);
    proxy.setFaults('partition', [{ from: 'b', to: 'a', loss: 1 }]);
    const client = connect({ host: via.host, port: via.port, localAddress: A });
    client.on('error', () => {});
    cleanup.push(() => {
      client.destroy();
      rx.server.close();
      proxy.close();
    });
    client.write('hello');
    await sleep(300);
    expect(rx.peer()).toBeUndefined();
    proxy.setFaults('partition', []);
    expect(await until(() => rx.got() === 'hello')).toBe(true);
  });

  it('delays but never loses or reorders bytes under packet loss', async () => {
    const { proxy, rx, client } = await setup();
    proxy.setFaults('packet', [{ from: 'a', to: 'b', loss: 0.3 }]);
    const expected: string[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) {
      expected.push(`${i};`);
      client.write(`${i};`);
      await sleep(5);
    }
    expect(await until(() => rx.got() === expected.join(''), 30_000)).toBe(true);
    // Some chunk was lost at least once and waited a retransmission timeout (a lower bound, not a speed claim).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(RTO_MS);
  });

  it('adds up layers: independent losses multiply, a cut in any layer cuts', () => {
    const loss = combineLinkFaults([
      [{ from: 'a', to: 'b', loss: 0.5 }],
      [
        { from: 'a', to: 'b', loss: 0.5 },
        { from: 'b', to: 'a', loss: 1 },
      ],
    ]);
    expect(loss.get('a\u0000b')).toBeCloseTo(0.75);
    expect(loss.get('b\u0000a')).toBe(1);
    expect(() => combineLinkFaults([[{ from: 'a', to: 'b', loss: 2 }]])).toThrow(/loss must be in \[0, 1\]/);
  });

  it('waits retransmission timeouts, doubling, for each lost try', () => {
    expect(retransmitDelayMs(0.3, () => 0.99)).toBe(0);
    expect(retransmitDelayMs(0.3, () => 0)).toBe(RTO_MS * 63);
    const draws = [0.1, 0.2, 0.9];
    expect(retransmitDelayMs(0.5, () => draws.shift()!)).toBe(RTO_MS * 3);
    expect(retransmitDelayMs(1, () => 0)).toBe(0); // a cut holds instead of delaying
  });
});

describe('dialer identification', () => {
  it('renders /proc/net/tcp addresses and finds a socket inode', () => {
    expect(procTcpAddress({ address: '127.0.0.1', port: 7000 })).toBe('0100007F:1B58');
    expect(procTcpAddress({ address: '::ffff:10.1.2.3', port: 80 })).toBe('0302010A:0050');
    expect(procTcpAddress({ address: '::1', port: 80 })).toBeUndefined();
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0',
      '   1: 0100007F:C350 0100007F:1B58 01 00000000:00000000 00:00000000 00000000     0        0 2222 1 0',
    ].join('\n');
    expect(findSocketInode(table, '0100007F:C350', '0100007F:1B58')).toBe('2222');
    expect(findSocketInode(table, '0100007F:C351', '0100007F:1B58')).toBeUndefined();
  });

  it.skipIf(process.platform !== 'linux')(
    'names the node whose daemon owns a connection that came from a shared address',
    async () => {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      const accepted = new Promise<Socket>((r) => server.once('connection', r));
      const script = `require('net').connect(${port}, '127.0.0.1'); setTimeout(() => {}, 10000)`;
      const child = spawn(process.execPath, ['-e', script], {
        env: { ...process.env, [RUN_ENV]: 'dialer-test', [NODE_ENV]: 'n7' },
        stdio: 'ignore',
      });
      try {
        const s = await accepted;
        const finder = new DialerFinder(new Map([['n1', '127.0.9.11']]), 'dialer-test');
        const who = await finder.identify(
          { address: s.remoteAddress!, port: s.remotePort! },
          { address: s.localAddress!, port: s.localPort! },
        );
        expect(who).toBe('n7');
        s.destroy();
      } finally {
        child.kill('SIGKILL');
        server.close();
      }
    },
  );
});
