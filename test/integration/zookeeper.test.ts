/**
 * ZooKeeper through its adapter (src/adapters/zookeeper, written with the public API) on local
 * nodes in network namespaces: a short run under kills and pauses with the default
 * (linearizable: read, then a quorum-committed version check) reads is linearizable and leaves
 * nothing behind; a read consistency ZooKeeper's adapter does not offer is refused naming the
 * choices; the lock workload's recipe hands locks on without faults. Not `sync` reads under pauses: a leader resumed after a pause can answer sync + read
 * from its stale copy before it notices it was deposed (ZooKeeper's behaviour, docs/adapters.md).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/store/index.js';
import {
  build,
  expectLocalRunLeftNothing,
  latestRun,
  readHistory,
  readResults,
  splitbrain,
} from './test-command-helpers.js';

const isRoot = process.getuid?.() === 0;
const hasZooKeeper = existsSync('/usr/share/java/zookeeper.jar') && existsSync('/usr/bin/java');
const store = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-zookeeper-'));

beforeAll(build, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

/**
 * Runs `splitbrain test` on 3 local ZooKeeper nodes as test `name` with `args`, expects exit 0,
 * and checks that the run left no process or namespace behind (sweeping them if it did).
 */
async function validZooKeeperRun(name: string, args: string[]): Promise<RunResults & { dir: string }> {
  const r = await splitbrain([
    'test',
    '--db',
    'zookeeper',
    '--runtime',
    'local',
    '--nodes',
    '3',
    ...args,
    '--store',
    store,
    '--name',
    name,
  ]);
  expect(r.exitCode, r.all).toBe(0);
  const run = latestRun(store, name);
  await expectLocalRunLeftNothing(run);
  return { ...readResults(run), dir: run };
}

describe('splitbrain test --db zookeeper', () => {
  it('refuses a read consistency the adapter does not offer, naming its three', async () => {
    const r = await splitbrain(['test', '--db', 'zookeeper', '--read-consistency', 'serializable', '--store', store]);
    expect(r.exitCode, r.all).toBe(64);
    expect(r.all).toContain(
      '--read-consistency serializable is not offered by --db zookeeper; choose one of: linearizable, sync, local',
    );
  });

  it.skipIf(!isRoot || !hasZooKeeper)(
    'with default reads under kills and pauses on 3 local nodes: valid, nothing left (needs root and Debian zookeeper)',
    async () => {
      const results = await validZooKeeperRun('zk-default', [
        '--workload',
        'kv',
        '--nemesis',
        'kill,pause',
        '--nemesis-interval',
        '3',
        '--time-limit',
        '20',
        '--seed',
        '7',
      ]);
      expect(results.test).toMatchObject({ db: 'zookeeper', readConsistency: 'linearizable' });
      expect(results.versions.zookeeper).toMatch(/^3\.8/);
      expect(results.stats.byType.ok).toBeGreaterThan(200);
    },
    300_000,
  );

  it.skipIf(!isRoot || !hasZooKeeper)(
    'the lock workload with the ephemeral-sequential recipe and no faults: valid, each lock handed on (needs root and Debian zookeeper)',
    async () => {
      const results = await validZooKeeperRun('zk-lock', [
        '--workload',
        'lock',
        '--lock-hold',
        '0.3',
        '--nemesis',
        'none',
        '--time-limit',
        '15',
        '--seed',
        '8',
      ]);
      expect(results.test).toMatchObject({ db: 'zookeeper', workload: 'lock' });
      const acquired = readHistory(results.dir).filter((e) => e.type === 'ok' && e.f === 'acquire');
      expect(new Set(acquired.map((e) => e.process)).size, 'clients that held a lock').toBeGreaterThan(2);
    },
    300_000,
  );
});
