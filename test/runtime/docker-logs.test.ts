import { describe, expect, it } from 'vitest';
import { demuxLogs } from '../../cluster/runtime/docker/docker-logs.js';

const frame = (stream: number, text: string): Buffer => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

describe("a user container's log, as the engine returns it", () => {
  it('reads stdout and stderr frames in the order they were written, without their headers', () => {
    const raw = Buffer.concat([frame(1, 'serving on 10.0.0.2\n'), frame(2, 'warning: slow disk\n'), frame(1, 'ok\n')]);
    expect(demuxLogs(raw).toString()).toBe('serving on 10.0.0.2\nwarning: slow disk\nok\n');
  });

  it('keeps the output of a container with a TTY (no frames) as it is', () => {
    const raw = Buffer.from('plain output of a tty container\n');
    expect(demuxLogs(raw).toString()).toBe('plain output of a tty container\n');
  });
});
