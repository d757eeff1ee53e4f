import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryWriter, readJsonl, type HistoryEvent } from '../../src/history/index.js';

const dir = mkdtempSync(join(tmpdir(), 'splitbrain-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const events: HistoryEvent[] = [
  { type: 'invoke', process: 0, f: 'cas', value: [1, 2], time: 5, key: 'k' },
  { type: 'info', process: 'nemesis', f: 'start-partition', value: { isolated: ['n1'] }, time: 6 },
  { type: 'ok', process: 0, f: 'cas', value: [1, 2], time: 9, key: 'k', node: 'n2' },
];

describe('the history writer', () => {
  it('writes events the reader reads back unchanged, numbering them', async () => {
    const file = join(dir, 'round-trip.jsonl');
    const w = new HistoryWriter(file);
    for (const e of events) w.append(e);
    w.close();
    const back = await readJsonl(file);
    expect(back.events).toEqual(events.map((e, index) => ({ ...e, index })));
    expect(back.warnings).toEqual([]);
  });

  it('has every appended event in the file before close, as if the process had died there', () => {
    const file = join(dir, 'unclosed.jsonl');
    const w = new HistoryWriter(file);
    w.append(events[0]!);
    w.append(events[1]!);
    // Read through a separate descriptor without closing the writer: what a crash leaves behind.
    const text = readFileSync(file, 'utf8');
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as HistoryEvent),
    ).toHaveLength(2);
    expect(text.endsWith('\n')).toBe(true);
    w.close();
  });

  it('refuses appends after close', () => {
    const w = new HistoryWriter(join(dir, 'closed.jsonl'));
    w.close();
    expect(() => w.append(events[0]!)).toThrow(/closed/);
  });
});
