import { describe, expect, it } from 'vitest';
import { ERRORS, describeError, parseMessage } from '../../../cluster/maelstrom/protocol.js';
import { completionOf, requestBody } from '../../../workloads/clients/maelstrom-client.js';

const read = { f: 'read', key: 3 };
const write = { f: 'write', key: 3, value: 4 };
const cas = { f: 'cas', key: 3, value: [4, 5] };

describe('the Maelstrom lin-kv client', () => {
  it('sends lin-kv bodies with key, value, from and to', () => {
    expect(requestBody(read, 1)).toEqual({ type: 'read', msg_id: 1, key: 3 });
    expect(requestBody(write, 2)).toEqual({ type: 'write', msg_id: 2, key: 3, value: 4 });
    expect(requestBody(cas, 3)).toEqual({ type: 'cas', msg_id: 3, key: 3, from: 4, to: 5 });
    expect(requestBody({ f: 'read' }, 4)).toEqual({ type: 'read', msg_id: 4, key: 'register' });
  });

  it('records read_ok, write_ok and cas_ok as ok, with the value read', () => {
    expect(completionOf(read, { type: 'read_ok', value: 7, in_reply_to: 1 }, 'n1')).toEqual({
      type: 'ok',
      value: 7,
      node: 'n1',
    });
    expect(completionOf(write, { type: 'write_ok' }, 'n1').type).toBe('ok');
    expect(completionOf(cas, { type: 'cas_ok' }, 'n1')).toMatchObject({ type: 'ok', value: [4, 5] });
  });

  it('fails a read on any error, definite or not', () => {
    for (const { code } of ERRORS) expect(completionOf(read, { type: 'error', code }, 'n2').type).toBe('fail');
    expect(completionOf(read, { type: 'error', code: 20, text: 'no such key' }, 'n2').error).toBe(
      'key-does-not-exist (20): no such key',
    );
  });

  it('fails a write or cas on a definite error and records info on an indefinite one', () => {
    for (const op of [write, cas]) {
      for (const code of [1, 10, 11, 12, 14, 20, 21, 22, 30])
        expect(completionOf(op, { type: 'error', code }, 'n1').type, `code ${code}`).toBe('fail');
      for (const code of [0, 13, 1234])
        expect(completionOf(op, { type: 'error', code }, 'n1').type, `code ${code}`).toBe('info');
    }
  });

  it('treats an unexpected reply to a write as indeterminate', () => {
    expect(completionOf(write, { type: 'read_ok', value: 1 }, 'n1').type).toBe('info');
    expect(completionOf(read, { type: 'write_ok' }, 'n1').type).toBe('fail');
  });
});

describe('the Maelstrom protocol module', () => {
  it('names the error codes of protocol.md with their definiteness', () => {
    expect(describeError(0)).toEqual({ code: 0, name: 'timeout', definite: false });
    expect(describeError(11)).toEqual({ code: 11, name: 'temporarily-unavailable', definite: true });
    expect(describeError(13)).toEqual({ code: 13, name: 'crash', definite: false });
    expect(describeError(22)).toEqual({ code: 22, name: 'precondition-failed', definite: true });
    expect(describeError(4242)).toEqual({ code: 4242, name: 'error-4242', definite: false });
  });

  it('refuses lines that are not messages, saying why', () => {
    expect(() => parseMessage('hello')).toThrow('not JSON: "hello"');
    expect(() => parseMessage('[1]')).toThrow('not a JSON object');
    expect(() => parseMessage('{"src":"n1","body":{"type":"x"}}')).toThrow('string src and dest');
    expect(() => parseMessage('{"src":"n1","dest":"n2","body":{}}')).toThrow('body with a string type');
    expect(parseMessage('{"src":"n1","dest":"c1","body":{"type":"read_ok","in_reply_to":1,"value":2}}').dest).toBe(
      'c1',
    );
  });
});
