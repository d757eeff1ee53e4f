/**
 * Writes lines to a stream, coalescing all the lines of one event-loop tick into one write (cork
 * now, uncork on the next tick): a relay that routes a burst of messages makes one syscall per
 * destination instead of one per message.
 */
import type { Writable } from 'node:stream';

/** A function that queues one line (a newline is added) on `stream`. */
export type LineWriter = (line: string) => void;

/** Makes a LineWriter for `stream`. */
export function lineWriter(stream: Writable): LineWriter {
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  return (line) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    stream.write(line + '\n');
  };
}
