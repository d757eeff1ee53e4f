/**
 * The node image has what faults and DBs need inside a node, and the host's node binary and
 * project folder work in it. Built on demand (offline, with debootstrap) if this machine lacks it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseImageTag, ensureBaseImage } from '../../cluster/images/index.js';
import { DockerRuntime, newRunId, projectRoot } from '../../cluster/runtime/index.js';
import { LIBFAKETIME } from '../../cluster/runtime/faketime.js';

const reason = await new DockerRuntime().unavailableReason();

describe.skipIf(reason !== undefined)(`the node image${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('is tagged by its recipe, so a machine builds it once', async () => {
    const first = await ensureBaseImage();
    expect(first.tag).toBe(baseImageTag());
    expect(first.tag).toMatch(/^splitbrain-base:[0-9a-f]{12}$/);
    const second = await ensureBaseImage();
    expect(second).toMatchObject({ tag: first.tag, built: false });
  });

  it("has iptables, iproute2, procps, libfaketime, etcd and tini, and runs the host's node and the project", async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'sb-image-test-'));
    const cluster = await new DockerRuntime().start({ runId: newRunId(), nodes: ['n1'], logDir });
    try {
      const n1 = cluster.node('n1');
      const check = async (command: string[]): Promise<string> => {
        const r = await n1.exec(command);
        expect(r.exitCode, `${command.join(' ')}: ${r.stderr}`).toBe(0);
        return r.stdout + r.stderr;
      };
      expect(await check(['iptables', '--version'])).toMatch(/iptables v1\.8/);
      expect(await check(['ip', '-V'])).toMatch(/iproute2/);
      expect(await check(['ps', '-e'])).toMatch(/sleep/);
      await check(['test', '-f', LIBFAKETIME]);
      expect(await check(['etcd', '--version'])).toMatch(/etcd Version: 3\./);
      expect(await check(['cat', '/proc/1/comm'])).toMatch(/docker-init|tini/);
      expect((await check([process.execPath, '--version'])).trim()).toBe(process.version);
      expect((await check(['node', '--version'])).trim()).toBe(process.version);
      await check(['test', '-f', path.join(projectRoot(), 'package.json')]);
      const write = await n1.exec(['touch', path.join(projectRoot(), 'should-not-exist')]);
      expect(write.exitCode).not.toBe(0); // the project is mounted read-only
    } finally {
      await cluster.teardown();
      await rm(logDir, { recursive: true, force: true });
    }
  });
});
