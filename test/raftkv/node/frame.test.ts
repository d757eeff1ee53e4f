import { describe, expect, it } from 'vitest';
import { ACK_FRAME, encodeFrame, FrameDecoder } from '../../../cluster/raftkv/node/frame.js';

describe('peer transport frames', () => {
  it('reassembles frames split at every byte boundary and passes acknowledgements through', () => {
    const msgs = [
      { msgs: [{ type: 'MsgApp', from: 'n1', to: 'n2', term: 3 }] },
      { hello: { id: 'n1', clientAddr: 'h:1' } },
    ];
    const stream = Buffer.concat([encodeFrame(msgs[0]), ACK_FRAME, encodeFrame(msgs[1])]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new FrameDecoder();
      const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(out.map((f) => (f === null ? null : JSON.parse(f.toString('utf8'))))).toEqual([msgs[0], null, msgs[1]]);
    }
  });

  it('rejects a stream whose length prefix is absurd instead of buffering forever', () => {
    const bad = Buffer.alloc(8);
    bad.writeUInt32LE(0xffffffff, 0);
    expect(() => new FrameDecoder().push(bad)).toThrow(/too large/);
  });
});
