/** Quick checks of the SSH runtime's pure parts: hosts files, known hosts, quoting, bundles. */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesNeeded } from '../../cluster/runtime/ssh/bundle.js';
import { HostsFileError, parseHostLine, parseHostsFile } from '../../cluster/runtime/ssh/hosts-file.js';
import { keyType, knownHostName, verifyHostKey } from '../../cluster/runtime/ssh/known-hosts.js';
import { nodeLayout } from '../../cluster/runtime/ssh/remote-layout.js';
import { shellJoin, shellQuote } from '../../cluster/runtime/ssh/shell.js';

describe('hosts file', () => {
  it('reads [user@]host[:port] lines, skipping blanks and comments, in order', () => {
    const hosts = parseHostsFile('# lab\nroot@10.0.0.1\n\n  db2:2222  # second\n[fe80::1]:22\nadmin@[::1]\n', 'h');
    expect(hosts).toEqual([
      { label: 'root@10.0.0.1', user: 'root', host: '10.0.0.1', port: 22 },
      { label: 'db2:2222', user: undefined, host: 'db2', port: 2222 },
      { label: '[fe80::1]:22', user: undefined, host: 'fe80::1', port: 22 },
      { label: 'admin@[::1]', user: 'admin', host: '::1', port: 22 },
    ]);
  });

  it('names the file and line of a bad entry, and refuses an empty file', () => {
    expect(() => parseHostsFile('ok-host\nbad host\n', 'hosts.txt')).toThrow(
      new HostsFileError("hosts file hosts.txt line 2: 'bad host' is not [user@]host[:port]"),
    );
    expect(() => parseHostsFile('a:0\n', 'f')).toThrow('hosts file f line 1: port 0 is not 1-65535');
    expect(() => parseHostsFile('# nothing\n', 'f')).toThrow('hosts file f lists no hosts');
    expect(() => parseHostLine('a@b@c')).toThrow(/not \[user@\]host/);
  });
});

describe('known hosts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sb-known-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // An SSH public key blob: a length-prefixed type name, then key material.
  const blob = (type: string, fill: number) => {
    const name = Buffer.from(type);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(name.length);
    return Buffer.concat([len, name, Buffer.alloc(32, fill)]);
  };

  it('records an unknown host (accept-new) in OpenSSH line format, then accepts it', async () => {
    const file = path.join(dir, 'sub', 'known_hosts');
    const key = blob('ssh-ed25519', 1);
    await verifyHostKey(file, '10.0.0.1', 22, key, false);
    await verifyHostKey(file, '10.0.0.1', 22, key, true);
    expect(await readFile(file, 'utf8')).toBe(`10.0.0.1 ssh-ed25519 ${key.toString('base64')}\n`);
    expect(keyType(key)).toBe('ssh-ed25519');
    expect(knownHostName('h', 2222)).toBe('[h]:2222');
  });

  it('refuses a changed key, and an unknown host when strict, saying what to do', async () => {
    const file = path.join(dir, 'known_hosts');
    await verifyHostKey(file, 'h', 2222, blob('ssh-ed25519', 1), false);
    await expect(verifyHostKey(file, 'h', 2222, blob('ssh-ed25519', 2), false)).rejects.toThrow(
      /host key changed .*\[h\]:2222.*delete its line/,
    );
    await expect(verifyHostKey(file, 'other', 22, blob('ssh-ed25519', 1), true)).rejects.toThrow(
      /host key unknown .*--ssh-strict-host-keys/,
    );
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('remote shell quoting', () => {
  it('gives sh back every argument exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/\0/g, ''))), (args) => {
        const out = execFileSync('sh', ['-c', `for a in ${shellJoin(args)}; do printf '%s\\0' "$a"; done`], {
          encoding: 'utf8',
        });
        expect(out.split('\0').slice(0, -1)).toEqual(args);
      }),
      { numRuns: 30 },
    );
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('bundle', () => {
  it('takes an entry, the modules it imports by relative path (transitively) and package.json, nothing else', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'sb-bundle-'));
    try {
      await writeFile(path.join(root, 'package.json'), '{"type":"module"}');
      await mkdir(path.join(root, 'dist', 'a', 'lib'), { recursive: true });
      await writeFile(
        path.join(root, 'dist', 'a', 'main.js'),
        "import { x } from './lib/x.js';\nimport http from 'node:http';\nexport * from '../b.js';\n",
      );
      await writeFile(path.join(root, 'dist', 'a', 'lib', 'x.js'), "const y = await import('./y.js');\n");
      await writeFile(path.join(root, 'dist', 'a', 'lib', 'y.js'), 'export const y = 1;\n');
      await writeFile(path.join(root, 'dist', 'b.js'), 'export const b = 1;\n');
      await writeFile(path.join(root, 'dist', 'unused.js'), 'export {};\n');
      expect(filesNeeded(root, [path.join(root, 'dist', 'a', 'main.js')])).toEqual([
        'dist/a/lib/x.js',
        'dist/a/lib/y.js',
        'dist/a/main.js',
        'dist/b.js',
        'package.json',
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('keeps every node of every run in its own folder, and refuses node names that are paths', () => {
    expect(nodeLayout('abcd1234', 'n1').root).toBe('/tmp/splitbrain-ssh/abcd1234/n1');
    expect(nodeLayout('abcd1234', 'n1').data).toBe('/tmp/splitbrain-ssh/abcd1234/n1/data');
    expect(() => nodeLayout('abcd1234', '../x')).toThrow(/not a file name/);
  });
});
