import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MaelstromDb } from '../../../cluster/maelstrom/index.js';
import { isGoBinary } from '../../../cluster/maelstrom/go-binary.js';

const ETCD = '/usr/bin/etcd'; // Debian's etcd is a Go program
const NODE = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'maelstrom', 'lin-kv-node.mjs');

describe('clock skew on a maelstrom binary', () => {
  it('reaches a node run by Node.js (its clock is read through libc)', () => {
    expect(isGoBinary(process.execPath)).toBe(false);
    expect(isGoBinary(NODE)).toBe(false);
    expect(isGoBinary('/nonexistent')).toBe(false);
    expect(new MaelstromDb({ bin: NODE }).clockSkewEffective).toBe(true);
  });

  it.skipIf(!existsSync(ETCD))('is known not to reach a Go binary', () => {
    expect(isGoBinary(ETCD)).toBe(true);
    expect(new MaelstromDb({ bin: ETCD }).clockSkewEffective).toBe(false);
  });
});
