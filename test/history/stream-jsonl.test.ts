import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/history/index.js';
import { parseJsonl } from '../../src/history/jsonl-reader.js';

// The parsing thread runs only from the compiled reader, which the test run's global setup builds.
const COMPILED = resolve(import.meta.dirname, '../../dist/src/history/jsonl-reader.js');
const WORKER = resolve(import.meta.dirname, '../../dist/src/history/jsonl-stream-worker.js');
const present = existsSync(COMPILED) && existsSync(WORKER);
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-stream-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Stream = (file: string, push: (e: HistoryEvent, line: number) => void) => Promise<string[]>;

async function streamed(file: string): Promise<{ events: HistoryEvent[]; lines: number[]; warnings: string[] }> {
  const { streamJsonl } = (await import(COMPILED)) as { streamJsonl: Stream };
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const warnings = await streamJsonl(file, (e, line) => {
    events.push(e);
    lines.push(line);
  });
  return { events, lines, warnings };
}

/** Events of every shape the format allows, with ever-new strings so the tables start afresh. */
function varied(n: number): HistoryEvent[] {
  const values: unknown[] = [null, 3, -0.5, 'x y', [1, 2], { a: [true, null] }, false, ''];
  const events: HistoryEvent[] = [];
  for (let i = 0; i < n; i++) {
    const e: HistoryEvent = {
      type: (['invoke', 'ok', 'fail', 'info'] as const)[i % 4],
      process: i % 7 === 0 ? 'nemesis' : i % 5,
      f: `f${i % 3}`,
      time: i * 10,
    };
    if (i % 2 === 0) e.key = i % 4 === 0 ? i % 11 : `k${i % 13}`;
    if (i % 3 !== 0) e.value = values[i % values.length];
    if (i % 5 === 0) e.index = i;
    if (i % 6 === 0) e.node = `n${i % 5}`;
    if (i % 2 === 1) e.error = `unique error ${i}`;
    events.push(e);
  }
  return events;
}

describe.skipIf(!present)('streaming a JSONL history through the parsing thread', () => {
  it('hands over the same events, lines and warnings as reading it whole', async () => {
    const events = varied(150_000);
    const text = '\n' + events.map((e) => JSON.stringify(e)).join('\n') + '\n{"type":"ok","pro';
    const file = join(dir, 'varied.jsonl');
    writeFileSync(file, text);
    const whole = parseJsonl(text, file);
    const got = await streamed(file);
    expect(got.events.length).toBe(whole.events.length);
    expect(got.events).toEqual(whole.events);
    expect(got.lines).toEqual(whole.lines);
    expect(got.warnings).toEqual(whole.warnings);
    expect(got.warnings).toHaveLength(1);
  }, 120_000);

  it('stops at a malformed line, naming it', async () => {
    const file = join(dir, 'malformed.jsonl');
    writeFileSync(
      file,
      varied(20_000)
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n{"type":"ok","process":-1,"f":"read","time":1}\n{}\n',
    );
    await expect(streamed(file)).rejects.toMatchObject({ name: 'MalformedHistoryError', line: 20_001 });
  });

  it('reports a missing file as the file system does', async () => {
    await expect(streamed(join(dir, 'absent.jsonl'))).rejects.toMatchObject({ code: 'ENOENT', syscall: 'open' });
  });
});
