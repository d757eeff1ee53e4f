import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(resolve(import.meta.dirname, '../..'), 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-positions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an imported log without times', () => {
  it('is explained by positions in the file, not as nanoseconds', async () => {
    const file = join(dir, 'stale.log');
    writeFileSync(
      file,
      [
        'INFO  jepsen.util - 0\t:invoke\t:write\t1',
        'INFO  jepsen.util - 0\t:ok\t:write\t1',
        'INFO  jepsen.util - 1\t:invoke\t:write\t2',
        'INFO  jepsen.util - 1\t:ok\t:write\t2',
        'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
        'INFO  jepsen.util - 2\t:ok\t:read\t1',
      ].join('\n') + '\n',
    );
    const r = await execa('node', [CLI, 'check', '--format', 'porcupine-etcd', file], { reject: false });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain(
      'read -> 1 (op 4, process 2) began at position 4, after write 2 (op 2) by process 1 had completed at position 3;',
    );
    expect(r.stdout).toContain("up to the read's return at position 5.");
    expect(r.stdout).not.toMatch(/\d ns\b/);
  });
});
