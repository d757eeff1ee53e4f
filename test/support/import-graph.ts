/**
 * Reads the project's import graph from source: every relative `import`/`export ... from` and
 * literal dynamic `import()` of the non-test TypeScript files, resolved to files. The
 * architecture test judges the edges; this only collects them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The top-level folders whose code the graph covers (tests are free to import files directly). */
export const CODE_FOLDERS = ['src', 'checker', 'nemesis', 'workloads', 'cluster'] as const;

/** One import: from a file to a file, both relative to the project root, with the line it is on. */
export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function listTs(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) listTs(root, rel, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
}

/** Every relative import edge between the code folders' files. */
export function readImportGraph(root: string): ImportEdge[] {
  const files: string[] = [];
  for (const folder of CODE_FOLDERS) if (existsSync(path.join(root, folder))) listTs(root, folder, files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(path.join(root, from), 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const to = path.normalize(path.join(path.dirname(from), spec)).replace(/\.(m?)js$/, '.$1ts');
      edges.push({ from, to, line: text.slice(0, m.index).split('\n').length });
    }
  }
  return edges;
}

/** The top-level folder of a project-relative path. */
export function topFolder(file: string): string {
  return file.split(path.sep)[0]!;
}

/**
 * The module folder a file belongs to: its nearest ancestor folder that has an index.ts, below
 * the top level for `src` (whose index.ts is the package root, not a folder's face).
 */
export function moduleFolder(root: string, file: string): string {
  let dir = path.dirname(file);
  for (;;) {
    const isSrcRoot = dir === 'src';
    if (!isSrcRoot && existsSync(path.join(root, dir, 'index.ts'))) return dir;
    const up = path.dirname(dir);
    if (up === dir || up === '.' || isSrcRoot) return dir;
    dir = up;
  }
}

/** True when `file` lies inside `folder` (or is in it). */
export function isInside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder + path.sep);
}

/**
 * The edges that reach into another folder's files without going through its index.ts: the
 * target's module folder does not contain the importer, and the target is not that folder's index.
 */
export function bypassingEdges(root: string, edges: readonly ImportEdge[]): ImportEdge[] {
  return edges.filter((e) => {
    const folder = moduleFolder(root, e.to);
    if (isInside(e.from, folder)) return false;
    return e.to !== path.join(folder, 'index.ts');
  });
}
