/**
 * Nodes that fail by themselves fail the test: a fatal line in a node's log (each DB's own
 * pattern) or a process that exited on its own turns a linearizable history into an invalid run
 * with its own reason, while a history already found invalid keeps its counterexample.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EtcdDb, RaftkvDb } from '../../cluster/db/index.js';
import { type CheckResult } from '../../checker/index.js';
import { scanNodeFailures, withNodeFailures } from '../../src/runner/fatal-log-scan.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function nodesDir(logs: Record<string, string>, file = 'raftkv.log'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'splitbrain-node-failures-'));
  dirs.push(dir);
  for (const [node, text] of Object.entries(logs)) {
    mkdirSync(path.join(dir, node));
    writeFileSync(path.join(dir, node, file), text);
  }
  return dir;
}

const valid: CheckResult = { model: 'kv', valid: true, ops: 10, ms: 1 };

describe('node failures', () => {
  it("finds raftkv's fatal line with its node and time, and nothing in healthy logs", () => {
    const dir = nodesDir({
      n1: '2026-12-01T10:00:00.000Z n1 serving: peers on 10.0.0.1:7000\n',
      n3: '2026-12-01T10:00:05.123Z n3 fatal: RaftInvariantError: need a snapshot for n5 but none exists\n',
    });
    const db = new RaftkvDb();
    const found = scanNodeFailures(db, dir, []);
    expect(found?.fatalLines).toEqual([
      {
        node: 'n3',
        file: path.join('n3', 'raftkv.log'),
        line: '2026-12-01T10:00:05.123Z n3 fatal: RaftInvariantError: need a snapshot for n5 but none exists',
        at: '2026-12-01T10:00:05.123Z',
      },
    ]);
    expect(found?.reason).toMatch(/^node failure: fatal log line on n3: .*need a snapshot/);
    expect(scanNodeFailures(db, nodesDir({ n1: '2026-12-01T10:00:00.000Z n1 serving\n' }), [])).toBeUndefined();
  });

  it("finds etcd's fatal zap line with its time and a Go runtime panic, and not etcd's warnings under faults", () => {
    const healthy =
      '{"level":"warn","ts":"2026-12-01T12:40:20.101Z","caller":"rafthttp/probing_status.go:70","msg":"prober detected unhealthy status"}\n' +
      '{"level":"error","ts":"2026-12-01T12:40:21.000Z","caller":"etcdserver/server.go:1","msg":"failed to publish","error":"etcdserver: request timed out"}\n';
    const fatal =
      '{"level":"panic","ts":"2026-12-01T12:40:22.500Z","caller":"raft/log.go:1","msg":"tocommit(9) is out of range [lastIndex(5)]"}\n';
    const dir = nodesDir(
      { n1: healthy, n2: healthy + fatal, n4: 'panic: runtime error: index out of range\n' },
      'etcd.log',
    );
    const found = scanNodeFailures(new EtcdDb(), dir, []);
    expect(found?.fatalLines.map((f) => [f.node, f.at])).toEqual([
      ['n2', '2026-12-01T12:40:22.500Z'],
      ['n4', undefined],
    ]);
    expect(scanNodeFailures(new EtcdDb(), nodesDir({ n1: healthy }, 'etcd.log'), [])).toBeUndefined();
  });

  it('a process that exited by itself is a failure even with clean logs; the reason says which and when', () => {
    const death = { node: 'n2', daemon: 'raftkv', pid: 42, code: 1, time: 12.5e9 };
    const found = scanNodeFailures(new RaftkvDb(), nodesDir({ n2: '' }), [death]);
    expect(found?.reason).toBe(
      'node failure: 1 node process(es) exited by themselves (first: n2 with code 1 at 12.5 s)',
    );
  });

  it('turns a valid verdict invalid with the failure as the reason, and keeps a counterexample that was found', async () => {
    const failures = { deaths: [], fatalLines: [], reason: 'node failure: x' };
    const judged = await withNodeFailures(async () => valid, failures)([], { model: 'kv' });
    expect(judged).toMatchObject({ valid: false, reason: 'node failure: x' });
    const invalid: CheckResult = { ...valid, valid: false, reason: 'not linearizable' };
    expect(await withNodeFailures(async () => invalid, failures)([], { model: 'kv' })).toBe(invalid);
    expect(await withNodeFailures(async () => valid, undefined)([], { model: 'kv' })).toBe(valid);
  });
});
