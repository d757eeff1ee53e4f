/**
 * Splits a byte stream into newline-terminated lines, the framing of Maelstrom's stdin/stdout and
 * of every connection a relay has. Kept to string slicing: a relay splits thousands of lines a
 * second and this is on every hop.
 */
import type { Readable } from 'node:stream';

/** Calls `onLine` for every complete line read from `stream` (without the newline). */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      rest += chunk;
      return;
    }
    onLine(rest + chunk.slice(0, nl));
    rest = '';
    start = nl + 1;
    while ((nl = chunk.indexOf('\n', start)) !== -1) {
      onLine(chunk.slice(start, nl));
      start = nl + 1;
    }
    rest = chunk.slice(start);
  });
}
