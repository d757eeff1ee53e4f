/**
 * The behaviour every runtime must show, as one suite run against a real 3-node cluster of the
 * probe daemon (test/fixtures/probe-daemon.ts). runtime-docker.test.ts and runtime-local.test.ts
 * call it; it is not a test file itself.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newRunId,
  projectRoot,
  type Runtime,
  type StartedCluster,
  type StartedNode,
} from '../../cluster/runtime/index.js';
import { hostSnapshot, ignoreOtherRuns, type HostSnapshot } from '../../cluster/runtime/host-snapshot.js';
import { runTag } from '../../cluster/runtime/run-tag.js';

/** The compiled probe daemon; the suite needs `npm run build` first (npm test does it). */
export const PROBE = path.join(projectRoot(), 'dist', 'test', 'fixtures', 'probe-daemon.js');
export const PROBE_PORT = 7070;

/** Starts the probe daemon in a node. */
export function spawnProbe(node: StartedNode, fakeTime = false) {
  return node.spawn({
    name: 'probe',
    // Bind the node's own address: on shared loopback every node's daemon uses the same port.
    command: [process.execPath, PROBE, node.address, String(PROBE_PORT), node.name],
    fakeTime,
  });
}

/** GETs a path from a node's probe, retrying until it answers or `ms` pass. */
export async function probe(node: StartedNode, pathname: string, ms = 15_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(`http://${node.address}:${PROBE_PORT}${pathname}`, {
        signal: AbortSignal.timeout(2_000),
      });
      return await res.text();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Says whether a node's probe answers within `ms`. */
async function answers(node: StartedNode, ms: number): Promise<boolean> {
  try {
    await fetch(`http://${node.address}:${PROBE_PORT}/ping`, { signal: AbortSignal.timeout(ms) });
    return true;
  } catch {
    return false;
  }
}

interface ContractOptions {
  /** True when nodes have their own network stacks (iptables faults possible). */
  isolated: boolean;
  /** State of the machines the nodes run on besides this one (remote hosts), compared before and after too. */
  nodeHostsSnapshot?: () => Promise<unknown>;
}

/** Defines the runtime contract suite for `make()`'s runtime. */
export function runtimeContract(label: string, make: () => Runtime, opts: ContractOptions): void {
  describe(label, () => {
    const runId = newRunId();
    let cluster: StartedCluster;
    let logDir: string;
    let before: HostSnapshot;
    let hostsBefore: unknown;
    const ignore = ignoreOtherRuns([runTag(runId), runId]);

    beforeAll(async () => {
      if (!existsSync(PROBE)) throw new Error(`${PROBE} is missing: run 'npm run build' first`);
      before = await hostSnapshot(ignore);
      hostsBefore = await opts.nodeHostsSnapshot?.();
      logDir = await mkdtemp(path.join(tmpdir(), 'sb-runtime-test-'));
      cluster = await make().start({ runId, nodes: ['n1', 'n2', 'n3'], logDir });
      await Promise.all(cluster.nodes.map((n) => spawnProbe(n, true)));
    });

    afterAll(async () => {
      await cluster?.teardown();
      await rm(logDir, { recursive: true, force: true });
    });

    it('gives every node its own address, where the host reaches the daemon running in it', async () => {
      const addresses = new Set(cluster.nodes.map((n) => n.address));
      expect(addresses.size).toBe(3);
      for (const node of cluster.nodes) expect(await probe(node, '/ping')).toBe(node.name);
    });

    it('lets nodes reach each other by address', async () => {
      const [n1, n2, n3] = cluster.nodes as [StartedNode, StartedNode, StartedNode];
      expect(await probe(n1, `/fetch?url=http://${n2.address}:${PROBE_PORT}/ping`)).toBe('n2');
      expect(await probe(n3, `/fetch?url=http://${n1.address}:${PROBE_PORT}/ping`)).toBe('n1');
    });

    it('runs a command inside a node and returns its exit code, output and errors', async () => {
      const n2 = cluster.node('n2');
      const r = await n2.exec(['sh', '-c', 'read line; echo "got $line"; echo oops >&2; exit 7'], { input: 'hello\n' });
      expect(r).toEqual({ exitCode: 7, stdout: 'got hello\n', stderr: 'oops\n' });
      if (opts.isolated) {
        const addr = await n2.exec(['ip', '-4', '-o', 'addr', 'show']);
        expect(addr.stdout).toContain(`${n2.address}/24`);
        expect(addr.stdout).not.toContain(cluster.node('n1').address);
      }
    });

    it('kills a daemon with SIGKILL and starts it again in the same node', async () => {
      const n1 = cluster.node('n1');
      const daemon = n1.daemons()[0]!;
      expect(daemon.isRunning()).toBe(true);
      await daemon.signal('SIGKILL');
      expect(await daemon.exited()).toBe(137);
      expect(daemon.isRunning()).toBe(false);
      expect(await answers(n1, 1_000)).toBe(false);
      const again = await spawnProbe(n1, true);
      expect(await probe(n1, '/ping')).toBe('n1');
      expect(again.isRunning()).toBe(true);
      expect(n1.daemons()[0]).toBe(again);
      // A remote runtime mirrors the log as it is written: give it a moment to arrive.
      const listened = async () =>
        (await readFile(path.join(logDir, 'n1', 'probe.log'), 'utf8')).match(/listening/g)?.length ?? 0;
      for (let i = 0; i < 50 && (await listened()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await listened()).toBe(2);
    });

    it('pauses a daemon with SIGSTOP and resumes it with SIGCONT, tracking which it is', async () => {
      const n3 = cluster.node('n3');
      const daemon = n3.daemons()[0]!;
      await daemon.signal('SIGSTOP');
      expect(daemon.isPaused()).toBe(true);
      expect(daemon.isRunning()).toBe(true);
      expect(await answers(n3, 1_500)).toBe(false);
      await daemon.signal('SIGCONT');
      expect(daemon.isPaused()).toBe(false);
      expect(await probe(n3, '/ping')).toBe('n3');
    });

    it("moves a running daemon's wall clock by the offset asked for, and back", async () => {
      const n2 = cluster.node('n2');
      const skew = async (): Promise<number> => {
        const before = Date.now();
        const { now } = JSON.parse(await probe(n2, '/now')) as { now: number };
        const after = Date.now();
        return now - (before + after) / 2;
      };
      expect(Math.abs(await skew())).toBeLessThan(1_000);
      await n2.setClockOffset(5_000);
      expect(await skew()).toBeGreaterThan(4_000);
      expect(await skew()).toBeLessThan(6_000);
      await n2.setClockOffset(-2_500);
      const back = await skew();
      expect(back).toBeGreaterThan(-3_500);
      expect(back).toBeLessThan(-1_500);
      await n2.setClockOffset(0);
      expect(Math.abs(await skew())).toBeLessThan(1_000);
      // Other nodes keep the real time.
      const { now } = JSON.parse(await probe(cluster.node('n3'), '/now')) as { now: number };
      expect(Math.abs(now - Date.now())).toBeLessThan(1_000);
    });

    it('collects daemon logs and the data folder into <logDir>/<node>/', async () => {
      const n3 = cluster.node('n3');
      const wrote = await n3.exec(['sh', '-c', `echo kept > ${n3.dataDir}/marker`]);
      expect(wrote.exitCode).toBe(0);
      await n3.collectLogs();
      expect(await readFile(path.join(logDir, 'n3', 'probe.log'), 'utf8')).toContain('probe n3 listening');
      expect(await readFile(path.join(logDir, 'n3', 'data', 'marker'), 'utf8')).toBe('kept\n');
    });

    it.runIf(opts.isolated)(
      'cuts one node off with iptables run inside another, leaving the rest connected',
      async () => {
        const [n1, n2, n3] = cluster.nodes as [StartedNode, StartedNode, StartedNode];
        expect(cluster.capabilities.iptables).toBe(true);
        const add = await n1.exec(['iptables', '-A', 'INPUT', '-s', n2.address, '-j', 'DROP']);
        expect(add.exitCode).toBe(0);
        try {
          const cut = await fetch(
            `http://${n2.address}:${PROBE_PORT}/fetch?url=http://${n1.address}:${PROBE_PORT}/ping`,
          );
          expect(cut.status).toBe(502);
          expect(await probe(n3, `/fetch?url=http://${n1.address}:${PROBE_PORT}/ping`)).toBe('n1');
        } finally {
          await n1.exec(['iptables', '-D', 'INPUT', '-s', n2.address, '-j', 'DROP']);
        }
      },
    );

    it('leaves containers, networks, namespaces, links and iptables exactly as it found them after teardown', async () => {
      await cluster.teardown();
      await cluster.teardown(); // idempotent
      const after = await hostSnapshot(ignore);
      expect(after).toEqual(before);
      expect(await opts.nodeHostsSnapshot?.()).toEqual(hostsBefore);
      expect(await readdir(path.join(logDir, 'n1'))).toContain('probe.log');
    });
  });
}
