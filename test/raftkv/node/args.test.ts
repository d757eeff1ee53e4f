import { describe, expect, it } from 'vitest';
import { ArgsError, parseNodeArgs } from '../../../cluster/raftkv/node/args.js';

const base = [
  '--id',
  'n1',
  '--peers',
  'n1=127.0.0.1:7001,n2=127.0.0.1:7002',
  '--client-port',
  '8001',
  '--data-dir',
  '/tmp/x',
];

describe('node command line', () => {
  it('parses the documented command line with defaults', () => {
    const a = parseNodeArgs(base);
    expect(a.id).toBe('n1');
    expect([...a.peers.keys()]).toEqual(['n1', 'n2']);
    expect(a.peers.get('n2')).toEqual({ host: '127.0.0.1', port: 7002 });
    expect(a.clientPort).toBe(8001);
    expect(a.listenHost).toBe('127.0.0.1');
    expect(a.bugs).toEqual([]);
    expect(a.tickMs).toBe(50);
    expect(a.electionTicks).toBe(10);
    expect(a.maxEntriesPerMsg).toBe(512);
  });

  it('accepts repeated --bug flags and --opt=value spelling', () => {
    const a = parseNodeArgs([...base, '--bug', 'stale-read', '--bug=vote-term-only', '--election-tick-ms=300']);
    expect(a.bugs).toEqual(['stale-read', 'vote-term-only']);
    expect(a.electionTicks).toBe(6);
  });

  it('takes the append batch size and window, and refuses one that is not a positive integer', () => {
    expect(parseNodeArgs([...base, '--max-entries-per-msg', '4']).maxEntriesPerMsg).toBe(4);
    expect(parseNodeArgs([...base, '--max-inflight-msgs=1']).maxInflightMsgs).toBe(1);
    expect(() => parseNodeArgs([...base, '--max-entries-per-msg', '0'])).toThrow(/--max-entries-per-msg: expected/);
  });

  it('rejects an unknown bug, naming the valid ones', () => {
    expect(() => parseNodeArgs([...base, '--bug', 'nope'])).toThrow(/unknown bug "nope".*stale-read/);
  });

  it('rejects a peer list that does not contain this node, or a malformed address', () => {
    expect(() => parseNodeArgs(['--id', 'n3', ...base.slice(2)])).toThrow(ArgsError);
    expect(() => parseNodeArgs([...base.slice(0, 3), 'n1=localhost', ...base.slice(4)])).toThrow(/ID=HOST:PORT/);
  });

  it('requires --data-dir and --client-port', () => {
    expect(() => parseNodeArgs(base.slice(0, 6))).toThrow(/--data-dir/);
    expect(() => parseNodeArgs([...base.slice(0, 4), ...base.slice(6)])).toThrow(/--client-port/);
  });
});
