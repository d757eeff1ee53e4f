import { describe, expect, it } from 'vitest';
import { embedJson } from '../../src/report/embed-json.js';

describe('embedJson', () => {
  it('keeps a value that contains </script> from closing the script element', () => {
    const value = { v: '</script><script>alert(1)</script>', w: '<!-- & -->' };
    const out = embedJson(value);
    expect(out).not.toMatch(/[<>&]/);
    expect(JSON.parse(out)).toEqual(value);
  });

  it('escapes the line and paragraph separators and still parses to the same string', () => {
    const value = ['a\u2028b\u2029c'];
    const out = embedJson(value);
    expect(out).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(value);
  });
});
