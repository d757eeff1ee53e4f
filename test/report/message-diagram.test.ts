import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Counterexample, type Operation } from '../../checker/index.js';
import {
  messageDiagramFor,
  readMessageWindow,
  renderMessageDiagram,
  windowAround,
} from '../../src/report/message-diagram.js';

const dir = mkdtempSync(path.join(tmpdir(), 'splitbrain-msgs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ms = 1e6;
const op = (id: number, f: string, call: number, ret: number | null, node: string, input: unknown): Operation => ({
  id,
  process: id,
  f,
  input,
  status: ret === null ? 'info' : 'ok',
  call,
  return: ret,
  invokeIndex: id * 2,
  node,
});

/** A messages.jsonl with one delivered fwd near 100 ms, one lost update, and traffic long before. */
function writeMessages(): string {
  const file = path.join(dir, 'messages.jsonl');
  const lines = [
    { type: 'send', time: 1 * ms, id: 'n2#1', from: 'n2', to: 'n1', body: { type: 'early' } },
    { type: 'recv', time: 1.2 * ms, id: 'n2#1', from: 'n2', to: 'n1' },
    { type: 'send', time: 100 * ms, id: 'n2#2', from: 'n2', to: 'n1', body: { type: 'fwd', msg_id: 2 } },
    { type: 'recv', time: 100.3 * ms, id: 'n2#2', from: 'n2', to: 'n1' },
    { type: 'send', time: 101 * ms, id: 'n1#7', from: 'n1', to: 'n3', body: { type: 'update', key: 1 } },
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"torn');
  return file;
}

describe('the message diagram of a counterexample', () => {
  it('reads only the messages sent in the window, each with its delivery time', async () => {
    const file = writeMessages();
    const got = await readMessageWindow(file, { from: 90 * ms, to: 110 * ms }, 100 * ms);
    expect(got).toEqual([
      { id: 'n2#2', from: 'n2', to: 'n1', sent: 100 * ms, delivered: 100.3 * ms, body: { type: 'fwd', msg_id: 2 } },
      { id: 'n1#7', from: 'n1', to: 'n3', sent: 101 * ms, body: { type: 'update', key: 1 } },
    ]);
    expect(await readMessageWindow(file, { from: 0, to: 200 * ms }, 100 * ms, 1)).toHaveLength(1);
  });

  it('widens the ops span by a quarter each side, at least 5 ms', () => {
    expect(windowAround([op(0, 'write', 100 * ms, 102 * ms, 'n1', 1)])).toEqual({ from: 95 * ms, to: 107 * ms });
    expect(windowAround([op(0, 'write', 0, 400 * ms, 'n1', 1), op(1, 'read', 10 * ms, null, 'n2', null)])).toEqual({
      from: -100 * ms,
      to: 500 * ms,
    });
  });

  it('draws a lane per node, an arrow per delivered message and a cross for a lost one', () => {
    const html = renderMessageDiagram(
      [
        { id: 'a', from: 'n2', to: 'n1', sent: 100 * ms, delivered: 101 * ms, body: { type: 'fwd' } },
        { id: 'b', from: 'n1', to: 'n3', sent: 102 * ms, body: { type: 'update' } },
      ],
      [op(0, 'read', 100 * ms, 103 * ms, 'n3', null)],
      { from: 99 * ms, to: 104 * ms },
    );
    expect(html.match(/class="lane-name"/g)).toHaveLength(3);
    expect(html).toContain('marker-end="url(#msg-arrow)"');
    expect(html.match(/class="msg lost"/g)).toHaveLength(1);
    expect(html).toContain('n1 → n3 at 102.0 ms, never delivered in the window');
    expect(html).toContain('<g class="op ok">');
    expect(renderMessageDiagram([], [], { from: 0, to: 1 })).toBe('');
  });

  it('draws nothing when the run recorded no messages', async () => {
    const cx: Counterexample = {
      ops: [op(0, 'read', 100 * ms, 101 * ms, 'n1', null)],
      failedOp: 0,
      prefix: [],
      concurrent: [],
      explanation: '',
    };
    expect(await messageDiagramFor(path.join(dir, 'absent.jsonl'), cx)).toBe('');
    expect(await messageDiagramFor(writeMessages(), cx)).toContain('<section class="messages"');
  });
});
