/**
 * `splitbrain cluster up` leaves a cluster running that `status` shows and `down` removes,
 * leaving the host as it was.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../cluster/runtime/index.js';
import { hostSnapshot } from '../../cluster/runtime/host-snapshot.js';
import { namespaceUnavailableReason } from '../../cluster/runtime/local/local-runtime.js';

const CLI = path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js');
const nsReason = await namespaceUnavailableReason();

describe.skipIf(nsReason !== undefined)(`splitbrain cluster${nsReason ? ` (skipped: ${nsReason})` : ''}`, () => {
  it('brings nodes up, shows them, and takes them down without a trace', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
    const logDir = await mkdtemp(path.join(tmpdir(), 'sb-cli-test-'));
    let runId = '';
    // The run id is known only once `up` prints it: set aside everything splitbrain-named before,
    // and afterwards everything splitbrain-named except this run's.
    const setAside =
      (keep?: string) =>
      (line: string): boolean =>
        /\bsb-[a-z0-9]|splitbrain[.:]/.test(line) && !(keep !== undefined && line.includes(keep));
    const before = await hostSnapshot(setAside());
    try {
      const up = await execa(process.execPath, [
        CLI,
        'cluster',
        'up',
        '--runtime',
        'local',
        '--nodes',
        '2',
        '--log-dir',
        logDir,
      ]);
      runId = /run ([0-9a-f]{8})/.exec(up.stdout)?.[1] ?? '';
      expect(runId).not.toBe('');
      expect(up.stdout).toMatch(/n1 +10\.243\.\d+\.11/);
      expect(up.stdout).toMatch(/n2 +10\.243\.\d+\.12/);

      const status = await execa(process.execPath, [CLI, 'cluster', 'status']);
      expect(status.stdout).toContain(`run ${runId}: local, db none, 2 nodes`);
      const during = await hostSnapshot(setAside(runId));
      expect(during['ip netns']?.some((l) => l.startsWith(`sb-${runId}-n1`))).toBe(true);

      const down = await execa(process.execPath, [CLI, 'cluster', 'down', '--run', runId]);
      expect(down.stdout).toContain(`removed namespace sb-${runId}-n1`);
      expect(await hostSnapshot(setAside(runId))).toEqual(before);
      const statusAfter = await execa(process.execPath, [CLI, 'cluster', 'status']);
      expect(statusAfter.stdout).not.toContain(`run ${runId}`);
    } finally {
      if (runId) await execa(process.execPath, [CLI, 'cluster', 'clean', '--run', runId], { reject: false });
      await rm(logDir, { recursive: true, force: true });
    }
  });
});
