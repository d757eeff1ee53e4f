/**
 * A run that dies midway leaves nothing behind for long: Ctrl-C (SIGINT) tears the cluster down
 * itself, and after a SIGKILL `splitbrain cluster clean` sweeps containers, networks, namespaces,
 * links, host iptables rules, orphaned (even paused) daemons and clock files.
 *
 * The clean here is scoped with --run to the crashed run's id, because other runs may be going
 * on this machine at the same time; an unscoped clean walks the same code with no filter.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { DockerRuntime, newRunId, projectRoot } from '../../cluster/runtime/index.js';
import { hostSnapshot, ignoreOtherRuns } from '../../cluster/runtime/host-snapshot.js';
import { namespaceUnavailableReason } from '../../cluster/runtime/local/local-runtime.js';
import { runTag } from '../../cluster/runtime/run-tag.js';
import { markedPids } from '../../cluster/runtime/host-sweep.js';
import { runScratchDir } from '../../cluster/runtime/run-tag.js';

const root = projectRoot();
const HOLD = path.join(root, 'dist', 'test', 'fixtures', 'hold-cluster.js');
const CLI = path.join(root, 'dist', 'src', 'cli', 'main.js');

// Returned in an object: an async function returning the subprocess itself would await its exit.
async function startHeld(runtime: string, runId: string, logDir: string): Promise<{ child: ResultPromise }> {
  if (!existsSync(HOLD)) throw new Error(`${HOLD} is missing: run 'npm run build' first`);
  const child = execa(process.execPath, [HOLD, runtime, runId, logDir], { reject: false, buffer: { stdout: false } });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (b: Buffer) => {
      seen += b.toString();
      if (seen.includes('READY')) resolve();
    });
    void child.then((r) => reject(new Error(`hold-cluster exited early (${r.exitCode}): ${r.stderr}`)));
  });
  return { child };
}

const dockerReason = await new DockerRuntime().unavailableReason();
const nsReason = await namespaceUnavailableReason();
const cases = [
  { runtime: 'docker', skip: dockerReason },
  { runtime: 'local', skip: nsReason },
];

for (const { runtime, skip } of cases) {
  describe.skipIf(skip !== undefined)(`a ${runtime} run stopped midway${skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('tears everything down itself on Ctrl-C', async () => {
      const runId = newRunId();
      const ignore = ignoreOtherRuns([runTag(runId), runId]);
      const logDir = await mkdtemp(path.join(tmpdir(), 'sb-crash-test-'));
      const before = await hostSnapshot(ignore);
      const { child } = await startHeld(runtime, runId, logDir);
      try {
        expect(await hostSnapshot(ignore)).not.toEqual(before);
        child.kill('SIGINT');
        const result = await child;
        expect(result.exitCode).toBe(130);
        expect(await hostSnapshot(ignore)).toEqual(before);
        expect(await markedPids(runId)).toEqual([]);
      } finally {
        child.kill('SIGKILL');
        await execa(process.execPath, [CLI, 'cluster', 'clean', '--run', runId], { reject: false });
        await rm(logDir, { recursive: true, force: true });
      }
    });

    it('leaves things behind on SIGKILL, and `cluster clean` removes all of them', async () => {
      const runId = newRunId();
      const ignore = ignoreOtherRuns([runTag(runId), runId]);
      const logDir = await mkdtemp(path.join(tmpdir(), 'sb-crash-test-'));
      const before = await hostSnapshot(ignore);
      const { child } = await startHeld(runtime, runId, logDir);
      try {
        child.kill('SIGKILL');
        await child;
        // The crash really left a cluster behind: there is something to clean.
        expect(await hostSnapshot(ignore)).not.toEqual(before);
        expect(existsSync(runScratchDir(runId))).toBe(true);
        if (runtime === 'local') expect((await markedPids(runId)).length).toBe(3);

        const clean = await execa(process.execPath, [CLI, 'cluster', 'clean', '--run', runId]);
        expect(clean.stdout).toMatch(/removed/);
        expect(await hostSnapshot(ignore)).toEqual(before);
        expect(await markedPids(runId)).toEqual([]);
        expect(existsSync(runScratchDir(runId))).toBe(false);

        const again = await execa(process.execPath, [CLI, 'cluster', 'clean', '--run', runId]);
        expect(again.stdout).toContain('nothing to clean');
      } finally {
        child.kill('SIGKILL');
        await execa(process.execPath, [CLI, 'cluster', 'clean', '--run', runId], { reject: false });
        await rm(logDir, { recursive: true, force: true });
      }
    });
  });
}
