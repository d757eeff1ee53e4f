import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

// A reader that stops early (`splitbrain check ... | head`) closes the pipe: the CLI must stop
// writing quietly, as a Unix tool does, and still end with its own exit code.

const CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-closed-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A register history of 3000 writes and one read of a value never written: invalid, with a long counterexample. */
function bigInvalidHistory(): string {
  const events: object[] = [];
  let time = 0;
  for (let v = 0; v < 3000; v++) {
    events.push({ type: 'invoke', process: 0, f: 'write', value: v, time: time++ });
    events.push({ type: 'ok', process: 0, f: 'write', value: v, time: time++ });
  }
  events.push({ type: 'invoke', process: 1, f: 'read', value: null, time: time++ });
  events.push({ type: 'ok', process: 1, f: 'read', value: -1, time: time++ });
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

describe('the CLI writing into a pipe its reader closed early', () => {
  it.each([
    { output: 'JSON lines', flags: ['--json'] },
    { output: 'text', flags: [] },
  ])('stops quietly and exits with the verdict ($output)', async ({ flags }) => {
    const file = join(dir, 'big-invalid.jsonl');
    writeFileSync(file, bigInvalidHistory());
    // Three files: several writes of about 500 kB each, far more than a pipe holds.
    const child = execa('node', [CLI, 'check', '--model', 'register', ...flags, file, file, file], {
      reject: false,
      timeout: 60_000,
    });
    let first = '';
    child.stdout!.once('data', (chunk: Buffer) => {
      first = chunk.toString();
      child.stdout!.destroy();
    });
    const { exitCode, stderr } = await child;
    expect(first.length).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|node:events|\n\s+at /);
    expect(stderr).toBe('');
    expect(exitCode).toBe(1);
  });
});
