import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_ADAPTERS } from '../../src/adapters/index.js';
import { findConfigFile, loadAdapter, loadConfig } from '../../src/adapter/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'adapters');
const scratch: string[] = [];
/** A fresh folder under the temp dir, removed after the file's tests. */
function tempFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('loadAdapter', () => {
  it('finds the bundled adapters by name', async () => {
    expect((await loadAdapter('etcd', BUNDLED_ADAPTERS)).name).toBe('etcd');
    expect((await loadAdapter('raftkv', BUNDLED_ADAPTERS)).bugs).toContain('stale-read');
  });

  it('loads a TypeScript adapter without a build step', async () => {
    const a = await loadAdapter('./typed-only.ts', BUNDLED_ADAPTERS, fixtures);
    expect(a.name).toBe('typed-only');
    expect(a.workloads).toEqual(['register']);
  });

  it('names an unknown adapter and the choices', async () => {
    await expect(loadAdapter('mysql', BUNDLED_ADAPTERS)).rejects.toThrow(
      "--db: unknown adapter 'mysql'; choose one of: raftkv, etcd, zookeeper, or a path to an adapter module",
    );
  });

  it('names a missing module file', async () => {
    await expect(loadAdapter('./nope.ts', BUNDLED_ADAPTERS, fixtures)).rejects.toThrow(
      /adapter \.\/nope\.ts: no such file/,
    );
  });

  it('names a module without a default export', async () => {
    await expect(loadAdapter('./no-default.ts', BUNDLED_ADAPTERS, fixtures)).rejects.toThrow(
      'adapter ./no-default.ts: not an adapter module: missing a default export (export default defineAdapter({ ... }))',
    );
  });

  it('names each missing part of a default export', async () => {
    await expect(loadAdapter('./no-client.mjs', BUNDLED_ADAPTERS, fixtures)).rejects.toThrow(
      'adapter ./no-client.mjs: not an adapter module: missing client() returning a client pool',
    );
  });

  it('names a module that fails to load, on one line', async () => {
    const dir = tempFolder('sb-adapter-');
    writeFileSync(path.join(dir, 'broken.ts'), 'export default {{;\n');
    const e = await loadAdapter('./broken.ts', BUNDLED_ADAPTERS, dir).catch((x: Error) => x);
    expect((e as Error).message).toMatch(/^adapter \.\/broken\.ts: the module failed to load: /);
    expect((e as Error).message).not.toContain('\n');
  });
});

describe('config files', () => {
  it('are found in the folder or above it, up to the folder holding package.json', () => {
    const root = tempFolder('sb-config-');
    writeFileSync(path.join(root, 'package.json'), '{}');
    mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    expect(findConfigFile(path.join(root, 'a', 'b'))).toBeUndefined();
    writeFileSync(path.join(root, 'splitbrain.config.mjs'), 'export default { tests: { one: {} } };');
    expect(findConfigFile(path.join(root, 'a', 'b'))).toBe(path.join(root, 'splitbrain.config.mjs'));
    writeFileSync(path.join(root, 'splitbrain.config.ts'), 'export default { tests: { one: {} } };');
    expect(findConfigFile(root)).toBe(path.join(root, 'splitbrain.config.ts'));
  });

  it('load named tests from TypeScript and refuse a config without tests, naming the file', async () => {
    const root = tempFolder('sb-config-');
    const good = path.join(root, 'good.ts');
    writeFileSync(good, 'const t: { nodes: number } = { nodes: 3 };\nexport default { tests: { nightly: t } };\n');
    expect((await loadConfig(good)).tests).toEqual({ nightly: { nodes: 3 } });
    const bad = path.join(root, 'bad.mjs');
    writeFileSync(bad, 'export default { name: 1 };\n');
    await expect(loadConfig(bad)).rejects.toThrow(`config ${bad}: the default export must be defineConfig`);
    const badName = path.join(root, 'bad-name.mjs');
    writeFileSync(badName, "export default { tests: { 'a b': {} } };\n");
    await expect(loadConfig(badName)).rejects.toThrow("test name 'a b' must be letters");
  });
});
