/**
 * A user's own image as the nodes (ContainerDb, issue 12 item 5b): an image with node but
 * without iptables or libfaketime, built offline from the node image, runs the sample key-value
 * server, described with testcontainers' GenericContainer. Partitions reach it through the
 * node's helper container (the one from splitbrain's image whose network stack it shares), a
 * cut really stops traffic and the heal restores it, kill and pause go through Docker, clock
 * offsets reach it through the host's libfaketime, and nothing of the run is left after
 * teardown. A scratch image without a libc gets the clock fault skipped with the reason, and a
 * container that never becomes ready, or an image not on this engine, ends a `splitbrain test`
 * with exit 3 and one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { GenericContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerDb } from '../../cluster/db/index.js';
import { DockerRuntime, newRunId, type StartedCluster } from '../../cluster/runtime/index.js';
import { createPartitionNemesis } from '../../nemesis/partition-nemesis.js';
import { ensureAppImage, ensureScratchImage } from '../support/user-image.js';
import { CLI, ROOT, build, latestRun, readHistory, runIdOf, userProject } from './test-command-helpers.js';

const reason = await new DockerRuntime().unavailableReason();
const SERVER = path.join(ROOT, 'src', 'cli', 'templates', 'init', 'splitbrain', 'sample-kv-server.mjs');
const ADAPTER = path.join(ROOT, 'test', 'fixtures', 'adapters', 'container-kv.mts');
const PORT = 8100;
const work = mkdtempSync(path.join(tmpdir(), 'splitbrain-it-container-'));
let appImage = '';
let scratchImage = '';

/** The sample server in the app image, one per node, ready once it says so. */
function kvDb(image: string): ContainerDb {
  return new ContainerDb({
    name: 'userkv',
    container: (node) =>
      new GenericContainer(image)
        .withCopyFilesToContainer([{ source: SERVER, target: '/app/kv.mjs' }])
        .withCommand(['node', '/app/kv.mjs', '--host', node.address, '--port', String(PORT), '--data', '/data'])
        .withWaitStrategy(Wait.forLogMessage('sample-kv serving')),
    clientEndpoint: (node) => `http://${node.address}:${PORT}`,
  });
}

/** Containers and networks labelled with the run's id. */
async function leftovers(runId: string): Promise<string[]> {
  const filter = `label=splitbrain.run=${runId}`;
  const ps = await execa('docker', ['ps', '-a', '--filter', filter, '--format', '{{.Names}}']);
  const nets = await execa('docker', ['network', 'ls', '--filter', filter, '--format', '{{.Name}}']);
  return [...ps.stdout.split('\n'), ...nets.stdout.split('\n')].filter((s) => s.trim() !== '');
}

beforeAll(async () => {
  if (reason !== undefined) return;
  build();
  appImage = await ensureAppImage();
  scratchImage = await ensureScratchImage();
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(reason !== undefined)(`a user's image as the nodes${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('gets partitions through the helper container though it has no iptables, keeps them across a kill, and leaves nothing after teardown', async () => {
    const runId = newRunId();
    const cluster: StartedCluster = await new DockerRuntime().start({
      runId,
      nodes: ['n1', 'n2', 'n3'],
      logDir: path.join(work, runId),
    });
    const db = kvDb(appImage);
    /** Exit code of a GET from `from`'s container to `to` by name: 0 answered, else cut. */
    const reach = async (from: string, to: string): Promise<number> => {
      const script = `fetch('http://${to}:${PORT}/health', { signal: AbortSignal.timeout(1500) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(2))`;
      return (await db.container(cluster.node(from)).exec(['node', '-e', script], { timeoutMs: 15_000 })).exitCode;
    };
    try {
      await db.setup(cluster);
      const n1 = db.container(cluster.node('n1'));
      expect((await n1.exec(['sh', '-c', 'command -v iptables iptables-restore'])).exitCode).not.toBe(0);
      expect(await reach('n1', 'n2')).toBe(0);

      const partition = createPartitionNemesis({ cluster });
      await partition.setup();
      const cut = await partition.invoke({
        f: 'start-partition',
        value: { partition: 'one', grudge: { n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] } },
      });
      expect(cut.error).toBeUndefined();
      expect(cut.value).toMatchObject({ injected: 8 });
      expect(await reach('n1', 'n2')).toBe(2);
      expect(await reach('n2', 'n3')).toBe(0);

      // The helper owns the namespace: a killed and restarted container is still cut off.
      await db.kill(cluster.node('n1'));
      expect(db.daemon('n1')?.isRunning()).toBe(false);
      await db.start(cluster.node('n1'));
      expect(db.daemon('n1')?.isRunning()).toBe(true);
      await expect.poll(() => reach('n3', 'n2'), { timeout: 10_000 }).toBe(0);
      expect(await reach('n1', 'n2')).toBe(2);

      const healed = await partition.invoke({ f: 'stop-partition' });
      expect(healed.value).toMatchObject({ healed: 8 });
      await expect.poll(() => reach('n1', 'n2'), { timeout: 10_000 }).toBe(0);

      await db.pause(cluster.node('n3'));
      expect(db.daemon('n3')?.isPaused()).toBe(true);
      expect(await reach('n2', 'n3')).toBe(2);
      await db.resume(cluster.node('n3'));
      expect(await reach('n2', 'n3')).toBe(0);
      await partition.teardown();
    } finally {
      await db.teardown();
      await cluster.teardown();
    }
    expect(await leftovers(runId)).toEqual([]);
  });

  it("moves the wall clock of a glibc image through the host's libfaketime, and skips clock for an image without glibc, saying why", async () => {
    const runId = newRunId();
    const cluster = await new DockerRuntime().start({ runId, nodes: ['n1'], logDir: path.join(work, runId) });
    const db = kvDb(appImage);
    const scratch = new ContainerDb({
      name: 'scratch',
      container: () => new GenericContainer(scratchImage),
      clientEndpoint: () => 'none',
    });
    try {
      expect(await db.clockSkewProblem(cluster)).toBeUndefined();
      await db.setup(cluster);
      await cluster.node('n1').setClockOffset(3_600_000);
      const r = await db.container(cluster.node('n1')).exec(['node', '-e', 'console.log(Date.now())']);
      expect((Number(r.stdout) - Date.now()) / 3_600_000).toBeCloseTo(1, 1);
      expect(await scratch.clockSkewProblem(cluster)).toMatch(
        /has no glibc dynamic loader .*libfaketime cannot be preloaded/,
      );
    } finally {
      await db.teardown();
      await cluster.teardown();
    }
    expect(await leftovers(runId)).toEqual([]);
  });

  describe('from the command line, with an adapter module', () => {
    const project = (name: string): string => userProject(work, name);
    const run = (dir: string, args: string[], env: Record<string, string>) =>
      execa(process.execPath, [CLI, 'test', '--db', ADAPTER, '--runtime', 'docker', '--nodes', '3', ...args], {
        cwd: dir,
        reject: false,
        all: true,
        timeout: 300_000,
        env: { APP_IMAGE: appImage, ...env },
      });

    it('runs the adapter under partitions, kills, pauses and clock skew: valid, and nothing left', async () => {
      const dir = project('container-kv');
      const r = await run(dir, ['--nemesis', 'partition,kill,pause,clock', '--time-limit', '20'], {});
      expect(r.exitCode, r.all).toBe(0);
      const runDir = latestRun(path.join(dir, 'store'), 'container-kv-kv');
      const kinds = new Set(
        readHistory(runDir)
          .filter((e) => e.process === 'nemesis' && e.type !== 'invoke')
          .map((e) => e.f),
      );
      expect(kinds).toContain('start-partition');
      expect(await leftovers(runIdOf(runDir))).toEqual([]);
    });

    it('refuses clock skew named for an image without glibc, saying why, before any container of the DB starts', async () => {
      const dir = project('container-scratch-clock');
      const r = await run(dir, ['--nemesis', 'clock', '--time-limit', '5'], { APP_IMAGE: scratchImage });
      expect(r.exitCode, r.all).toBe(64);
      expect(r.all).toMatch(
        /--nemesis clock cannot be injected here: container-kv: image splitbrain-test-scratch:\w+ has no glibc dynamic loader/,
      );
      const runDir = latestRun(path.join(dir, 'store'), 'container-kv-kv');
      expect(await leftovers(runIdOf(runDir))).toEqual([]);
    });

    it('an image that is not on this engine ends with exit 3 and one line saying so, without pulling, nothing left', async () => {
      const dir = project('container-missing-image');
      const r = await run(dir, ['--nemesis', 'none', '--time-limit', '5'], { APP_IMAGE: 'splitbrain-test-absent:0' });
      expect(r.exitCode, r.all).toBe(3);
      const errors = r.all.split('\n').filter((l) => l.includes('error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /error \(adapter container-kv\): setup-db: node n\d: image 'splitbrain-test-absent:0' is not present on this Docker engine and splitbrain does not pull images/,
      );
      const runDir = latestRun(path.join(dir, 'store'), 'container-kv-kv');
      expect(await leftovers(runIdOf(runDir))).toEqual([]);
    });

    it('a container that never becomes ready ends with exit 3 and one line naming the adapter and the cause, nothing left', async () => {
      const dir = project('container-never-ready');
      const r = await run(dir, ['--nemesis', 'none', '--time-limit', '5'], {
        CONTAINER_KV_WAIT_FOR: 'a line the server never prints',
        CONTAINER_KV_STARTUP_MS: '3000',
      });
      expect(r.exitCode, r.all).toBe(3);
      const errors = r.all.split('\n').filter((l) => l.includes('error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /error \(adapter container-kv\): setup-db: node n\d: its container \(splitbrain-test-app:\w+\) did not become ready: Log message "a line the server never prints" not received after 3000ms/,
      );
      const runDir = latestRun(path.join(dir, 'store'), 'container-kv-kv');
      expect(await leftovers(runIdOf(runDir))).toEqual([]);
    });
  });
});
