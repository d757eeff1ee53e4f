/**
 * Finds the adapter `--db` names: a bundled one by name, or a module by path. Modules load with
 * tsx's ESM API, so a TypeScript adapter runs without a build step, as vitest and playwright
 * load their config files; `.js` and `.mjs` modules load the same way.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { adapterProblems, type Adapter } from './adapter.js';

/** A `--db` value that names no adapter, or a module that is not one: exit 64 with the message. */
export class AdapterError extends Error {}

/** File endings an adapter module may have. */
export const ADAPTER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

/** True when a `--db` value is a path to a module rather than a bundled adapter's name. */
export function isAdapterPath(spec: string): boolean {
  return spec.includes('/') || spec.includes(path.sep) || ADAPTER_EXTENSIONS.some((e) => spec.endsWith(e));
}

/**
 * Resolves `spec` to an adapter: a key of `bundled`, or a module path relative to `cwd` whose
 * default export is an adapter (`alsoKnown`: other names `--db` takes, for the message). Throws AdapterError naming the adapter and what is wrong.
 */
export async function loadAdapter(
  spec: string,
  bundled: Readonly<Record<string, Adapter>>,
  cwd: string = process.cwd(),
  alsoKnown: readonly string[] = [],
): Promise<Adapter> {
  if (!isAdapterPath(spec)) {
    const adapter = bundled[spec];
    if (adapter) return adapter;
    throw new AdapterError(
      `--db: unknown adapter '${spec}'; choose one of: ${[...Object.keys(bundled), ...alsoKnown].join(', ')}, or a path to an adapter module (.ts, .js, .mjs)`,
    );
  }
  const file = path.resolve(cwd, spec);
  if (!existsSync(file)) throw new AdapterError(`adapter ${spec}: no such file (${file})`);
  let exported: unknown;
  try {
    exported = await importDefault(file);
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new AdapterError(`adapter ${spec}: the module failed to load: ${first}`);
  }
  const problems = adapterProblems(exported);
  if (problems.length > 0)
    throw new AdapterError(`adapter ${spec}: not an adapter module: missing ${problems.join(', ')}`);
  return exported as Adapter;
}

/**
 * Imports a .ts/.js module by absolute path without a build step (tsx's ESM loader, scoped to
 * this import) and returns its default export. A `.ts` file in a package without
 * `"type": "module"` is compiled as CommonJS, whose `export default` arrives as
 * `module.exports.default`: that is unwrapped, so it reads as the ESM one.
 */
export async function importDefault(file: string): Promise<unknown> {
  const { tsImport } = await import('tsx/esm/api');
  const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
  const d = mod.default as { __esModule?: boolean; default?: unknown } | undefined;
  return d !== null && typeof d === 'object' && d.__esModule === true ? d.default : d;
}
