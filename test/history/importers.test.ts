import { describe, expect, it } from 'vitest';
import { parseEdnHistory, parsePorcupineEtcd, parsePorcupineKv } from '../../src/history/importers/index.js';
import { MalformedHistoryError } from '../../src/history/index.js';

describe('the Porcupine etcd importer', () => {
  it('maps processes, types, fs and values, and turns :timed-out into an error', () => {
    const h = parsePorcupineEtcd(
      [
        'INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]',
        'INFO  jepsen.util - 3\t:info\t:cas\t:timed-out',
        'INFO  jepsen.util - 0   :invoke   :read   nil',
        'INFO  jepsen.util - 0   :ok   :read   nil',
      ].join('\n'),
    );
    expect(h.events).toEqual([
      { type: 'invoke', process: 3, f: 'cas', value: [1, 4], time: 0, index: 0 },
      { type: 'info', process: 3, f: 'cas', error: 'timed-out', time: 1, index: 1 },
      { type: 'invoke', process: 0, f: 'read', value: null, time: 2, index: 2 },
      { type: 'ok', process: 0, f: 'read', value: null, time: 3, index: 3 },
    ]);
  });

  it('names the line of a line it cannot parse', () => {
    expect(() =>
      parsePorcupineEtcd('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - x\n', 'e.log'),
    ).toThrow(MalformedHistoryError);
    expect(() =>
      parsePorcupineEtcd('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - x\n', 'e.log'),
    ).toThrow(/^e\.log:2: /);
  });
});

describe('the Porcupine kv importer', () => {
  it('reads one EDN map per line with the line number as time', () => {
    const h = parsePorcupineKv(
      '{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}\n{:process 9, :type :ok, :f :append, :key "0", :value "x 9 0 y"}\n',
    );
    expect(h.events[1]).toEqual({ type: 'ok', process: 9, f: 'append', key: '0', value: 'x 9 0 y', time: 1, index: 1 });
  });
});

describe('the Jepsen EDN importer', () => {
  it('reads one op map per line, keeping time and index and marking the nemesis', () => {
    const h = parseEdnHistory(
      [
        '{:type :invoke, :f :write, :value 3, :process 0, :time 1000, :index 0}',
        '{:type :info, :f :start, :value nil, :process :nemesis, :time 1500, :index 1}',
        '{:type :ok, :f :write, :value 3, :process 0, :time 2000, :index 2}',
      ].join('\n'),
    );
    expect(h.events.map((e) => [e.type, e.process, e.time])).toEqual([
      ['invoke', 0, 1000],
      ['info', 'nemesis', 1500],
      ['ok', 0, 2000],
    ]);
  });

  it('reads a history written as one vector, filling time from the position when absent', () => {
    const h = parseEdnHistory(
      '[{:type :invoke, :f :cas, :value [1 2], :process 1} {:type :fail, :f :cas, :value [1 2], :process 1}]',
    );
    expect(h.events[0]).toMatchObject({ f: 'cas', value: [1, 2], time: 0 });
    expect(h.events[1]).toMatchObject({ type: 'fail', time: 1 });
  });

  it('rejects an op whose type is not a Jepsen type', () => {
    expect(() => parseEdnHistory('{:type :maybe, :f :read, :process 0, :time 1}', 'h.edn')).toThrow(
      /^h\.edn:1: "type" must be one of/,
    );
  });

  it('reads a file that begins with ; comments, and names the right line of a bad op after them', () => {
    const h = parseEdnHistory(
      '; a comment\n; another\n[{:type :invoke, :f :read, :process 0}\n {:type :ok, :f :read, :value 1, :process 0}]\n',
    );
    expect(h.events.map((e) => e.type)).toEqual(['invoke', 'ok']);
    expect(h.lines).toEqual([3, 4]);
    expect(() =>
      parseEdnHistory(
        '; comment\n{:type :invoke, :f :read, :process 0}\n{:type :maybe, :f :read, :process 0}\n',
        'h.edn',
      ),
    ).toThrow(/^h\.edn:3: "type" must be one of/);
  });

  it('reads op maps spread over several lines, with comments between and inside them', () => {
    const h = parseEdnHistory(
      '{:type :invoke,\n :f :write ; the op\n :value 2, :process 1}\n\n{:type :ok, :f :write, :value 2, :process 1}',
    );
    expect(h.events.map((e) => [e.type, e.value])).toEqual([
      ['invoke', 2],
      ['ok', 2],
    ]);
  });

  it("reads jepsen.independent [key value] tuples as keyed ops, saying so, and Knossos's compact [process type f value] ops", () => {
    const h = parseEdnHistory(
      '[1 :invoke :cas [7 [0 2]]]\n[1 :ok :cas [7 [0 2]]]\n[2 :invoke :read [8 nil]]\n[2 :info :read [8 nil] :timeout]\n',
    );
    expect(h.events.map((e) => [e.key, e.f, e.value])).toEqual([
      [7, 'cas', [0, 2]],
      [7, 'cas', [0, 2]],
      [8, 'read', null],
      [8, 'read', null],
    ]);
    expect(h.events[3]!.error).toBe('timeout');
    expect(h.warnings.join()).toMatch(/jepsen\.independent/);
  });

  it('keeps a single-register history whose cas values are plain [old new] pairs unkeyed', () => {
    const h = parseEdnHistory(
      '{:type :invoke, :f :cas, :value [0 2], :process 1}\n{:type :ok, :f :cas, :value [0 2], :process 1}',
    );
    expect(h.events.every((e) => e.key === undefined && Array.isArray(e.value))).toBe(true);
    expect(h.warnings).toEqual([]);
  });
});
