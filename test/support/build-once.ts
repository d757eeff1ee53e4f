/**
 * Vitest global setup: compile the project into dist/ once per test run, because the CLI, the
 * raftkv node, fixture daemons and the checker's workers run as separate processes from there.
 * Incremental, so an unchanged tree rebuilds in a few seconds. A type error fails the run here,
 * with tsc's own message, rather than as a missing file deep inside some test.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
