/**
 * Finds and loads `splitbrain.config.*` as vitest finds its config: the first of the candidate
 * names in the current folder; above it only up to the folder that holds package.json, so a
 * config never leaks in from an unrelated parent folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SplitbrainConfig } from './config.js';
import { AdapterError, importDefault } from './load-adapter.js';

/** Config file names, in the order they are looked for. */
export const CONFIG_FILES = [
  'splitbrain.config.ts',
  'splitbrain.config.mts',
  'splitbrain.config.js',
  'splitbrain.config.mjs',
] as const;

/** The config file for `cwd`, or undefined when there is none. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir || existsSync(path.join(dir, 'package.json'))) return undefined;
    dir = parent;
  }
}

/** Loads a config file; throws AdapterError (exit 64) naming the file and what is wrong. */
export async function loadConfig(file: string): Promise<SplitbrainConfig> {
  let exported: unknown;
  try {
    exported = await importDefault(file);
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new AdapterError(`config ${file}: the module failed to load: ${first}`);
  }
  const c = exported as Partial<SplitbrainConfig> | undefined;
  if (!c || typeof c !== 'object' || !c.tests || typeof c.tests !== 'object' || Array.isArray(c.tests))
    throw new AdapterError(`config ${file}: the default export must be defineConfig({ tests: { NAME: {...} } })`);
  const bad = Object.keys(c.tests).find((n) => !/^[A-Za-z0-9._-]+$/.test(n));
  if (bad !== undefined)
    throw new AdapterError(`config ${file}: test name '${bad}' must be letters, digits, '.', '_' or '-'`);
  if (Object.keys(c.tests).length === 0) throw new AdapterError(`config ${file}: no tests`);
  return c as SplitbrainConfig;
}
