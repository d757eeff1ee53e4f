/**
 * What `splitbrain init` writes type-checks as written: a user's `npx tsc --noEmit` in the folder
 * passes against splitbrain's published declarations (dist/*.d.ts, found through
 * node_modules/splitbrain as `npm install` puts it) and Node's types.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-init-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('splitbrain init', () => {
  it('writes an adapter and config that tsc --noEmit accepts against the installed types', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0' }));
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'splitbrain'));
    symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
    const init = await execa('node', [CLI, 'init'], { cwd: dir, reject: false, all: true });
    expect(init.exitCode, init.all).toBe(0);
    const tsc = await execa('node', [TSC, '--noEmit'], { cwd: dir, reject: false, all: true });
    expect(tsc.all).toBe('');
    expect(tsc.exitCode).toBe(0);
  }, 120_000);
});
