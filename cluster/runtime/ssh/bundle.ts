/**
 * Copying the project's built code a daemon needs to a host. A daemon command names files of the
 * project (`<project>/dist/cluster/raftkv/node/main.js`) as the other runtimes see them; on a
 * remote host they are copied into the node's bundle folder first, with the package.json (it
 * makes `.js` ES modules) and every module they import by relative path, and nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { SshConnection } from './ssh-connection.js';
import { shellJoin } from './shell.js';

// `import x from './a.js'`, `export * from '../b.js'`, `import('./c.js')`, `import './d.js'`.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.\.?\/[^'"]+)['"]/g;

/**
 * The files (relative to `root`) that `entries` need: each entry, the modules they import by
 * relative path, transitively, and the package.json.
 */
export function filesNeeded(root: string, entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.map((e) => path.resolve(e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    if (!/\.(m?js|cjs)$/.test(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      queue.push(path.resolve(path.dirname(file), m[1]!));
    }
  }
  const pkg = path.join(root, 'package.json');
  if (existsSync(pkg)) seen.add(pkg);
  return [...seen].map((f) => path.relative(root, f)).sort();
}

/** The project files one node's bundle holds already, so each is copied once per run. */
export class RemoteBundle {
  private readonly copied = new Set<string>();

  constructor(
    private readonly connection: SshConnection,
    private readonly root: string,
    /** The bundle folder on the host. */
    readonly dir: string,
  ) {}

  /** Says whether a path is a project file that has to be copied (and so rewritten). */
  holds(file: string): boolean {
    return file.startsWith(`${this.root}/`);
  }

  /** The path on the host of a project file. */
  remotePath(file: string): string {
    return path.posix.join(this.dir, path.relative(this.root, file));
  }

  /** Copies what `entries` need and is not there yet, as one tar stream. */
  async ensure(entries: readonly string[]): Promise<void> {
    const files = filesNeeded(this.root, entries).filter((f) => !this.copied.has(f));
    if (files.length === 0) return;
    // The bundle is small (raftkv's is about half a megabyte): pack it here, unpack it there.
    const tar = await execa('tar', ['-c', '-f', '-', '-C', this.root, '--', ...files], {
      encoding: 'buffer',
      reject: false,
    });
    if (tar.failed) throw new Error(`cannot pack ${files.length} files for ${this.connection.label}: ${tar.message}`);
    const remote = `mkdir -p ${shellJoin([this.dir])} && tar -x -f - -C ${shellJoin([this.dir])}`;
    const copy = await this.connection.run(remote, { input: Buffer.from(tar.stdout), timeoutMs: 120_000 });
    if (copy.exitCode !== 0)
      throw new Error(`host ${this.connection.label}: copying the bundle failed: ${copy.stderr.trim().split('\n')[0]}`);
    for (const f of files) this.copied.add(f);
  }
}
