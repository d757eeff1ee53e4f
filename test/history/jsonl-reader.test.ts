import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MalformedHistoryError, readJsonl } from '../../src/history/index.js';
import { parseJsonl } from '../../src/history/jsonl-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'splitbrain-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (o: object): string => JSON.stringify(o);
const invoke = { type: 'invoke', process: 0, f: 'write', value: 1, time: 10 };
const ok = { type: 'ok', process: 0, f: 'write', value: 1, time: 20 };

function problemOf(text: string): MalformedHistoryError {
  try {
    parseJsonl(text, 'h.jsonl');
  } catch (err) {
    if (err instanceof MalformedHistoryError) return err;
    throw err;
  }
  throw new Error('expected a MalformedHistoryError');
}

describe('the JSONL reader', () => {
  it('reads every event and remembers the line each came from, skipping blank lines', () => {
    const h = parseJsonl(`${line(invoke)}\n\n${line(ok)}\n`, 'h.jsonl');
    expect(h.events).toEqual([invoke, ok]);
    expect(h.lines).toEqual([1, 3]);
    expect(h.warnings).toEqual([]);
  });

  it('streams a file from disk with the same result', async () => {
    const file = join(dir, 'ok.jsonl');
    writeFileSync(
      file,
      `${line(invoke)}\r\n${line(ok)}\r\n${line({ type: 'info', process: 'nemesis', f: 'kill', time: 30 })}\n`,
    );
    const h = await readJsonl(file);
    expect(h.events.map((e) => e.type)).toEqual(['invoke', 'ok', 'info']);
  });

  it.each([
    [`{"process":0,"f":"read","time":1}`, 'missing field "type"'],
    [`{"type":"done","process":0,"f":"read","time":1}`, '"type" must be one of'],
    [`{"type":"ok","process":-1,"f":"read","time":1}`, '"process" must be an integer >= 0 or "nemesis"'],
    [`{"type":"ok","process":0,"f":"","time":1}`, '"f" must be a non-empty string'],
    [`{"type":"ok","process":0,"f":"read","time":1.5}`, '"time" must be an integer'],
    [`{"type":"ok","process":0,"f":"read"}`, 'missing field "time"'],
    [`{"type":"ok","process":0,"f":"read","time":1,"key":true}`, '"key" must be a string or an integer'],
    [`{"type":"ok","process":0,"f":"read","time":1,"index":-2}`, '"index" must be an integer >= 0'],
    [`{"type":"ok","process":0,"f":"read","time":1,"node":3}`, '"node" must be a string'],
    [`{"type":"ok","process":0,"f":"read","time":1,"error":{}}`, '"error" must be a string'],
    [`{"type":"ok","process":0,"f":"read","time":1,"colour":"red"}`, 'unknown field "colour"'],
    [`[1,2]`, 'expected a JSON object'],
  ])('rejects %s with a message naming the file, the line and the problem', (bad, problem) => {
    const err = problemOf(`${line(invoke)}\n${bad}\n${line(ok)}\n`);
    expect(err.message).toMatch(/^h\.jsonl:2: /);
    expect(err.line).toBe(2);
    expect(err.problem).toContain(problem);
  });

  it('rejects a line that is not JSON when more lines follow it', () => {
    const err = problemOf(`${line(invoke)}\n{"type":"ok",\n${line(ok)}\n`);
    expect(err.message).toMatch(/^h\.jsonl:2: not valid JSON/);
  });

  it('treats a torn last line as a warning and keeps the events before it', () => {
    const h = parseJsonl(`${line(invoke)}\n${line(ok)}\n{"type":"invoke","proc`, 'h.jsonl');
    expect(h.events).toHaveLength(2);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(/^h\.jsonl:3: last line is torn/);
  });

  it('still rejects a complete last line whose fields are wrong', () => {
    expect(problemOf(`${line(invoke)}\n{"type":"ok","process":0,"f":"write"}\n`).line).toBe(2);
  });
});
