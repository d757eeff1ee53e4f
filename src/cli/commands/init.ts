/**
 * `splitbrain init`: writes a working adapter and config into the current folder (src/cli/templates/init:
 * an adapter for a sample key-value server that the adapter starts on each node), so a newcomer's
 * first `npx splitbrain test` passes before they change a line. Never overwrites a file.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { projectRoot } from '../../../cluster/runtime/index.js';
import { EXIT } from '../../analysis/index.js';

/**
 * The tsconfig written when the folder has none, so `npx tsc --noEmit` checks the adapter. `types`
 * names Node's because TypeScript 6 and later no longer include every @types package by default.
 */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['splitbrain.config.mts', 'splitbrain'],
};

/** The template files, relative to the template folder. */
export function templateFiles(dir: string, under = ''): string[] {
  return readdirSync(path.join(dir, under)).flatMap((name) => {
    const rel = path.join(under, name);
    return statSync(path.join(dir, rel)).isDirectory() ? templateFiles(dir, rel) : [rel];
  });
}

/** The `init` command. */
export const initCommand: CommandModule = {
  command: 'init',
  describe: 'Write an adapter and splitbrain.config.mts for a sample system into this folder, ready to run',
  handler: () => {
    const templates = path.join(projectRoot(), 'src', 'cli', 'templates', 'init');
    const cwd = process.cwd();
    const files = templateFiles(templates);
    const existing = files.filter((f) => existsSync(path.join(cwd, f)));
    if (existing.length > 0) {
      process.stderr.write(`splitbrain: init would overwrite ${existing.join(', ')}; move them away first\n`);
      process.exit(EXIT.usage);
    }
    for (const f of files) {
      mkdirSync(path.dirname(path.join(cwd, f)), { recursive: true });
      copyFileSync(path.join(templates, f), path.join(cwd, f));
    }
    const written = [...files];
    if (!existsSync(path.join(cwd, 'tsconfig.json'))) {
      writeFileSync(path.join(cwd, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2) + '\n');
      written.push('tsconfig.json');
    }
    process.stdout.write(
      [
        `wrote ${written.join(', ')}`,
        'next: npx splitbrain test            (runs the tests in splitbrain.config.mts)',
        '      npm i -D typescript @types/node && npx tsc --noEmit   (type-checks the adapter)',
        'then replace the sample system where splitbrain/adapter.mts says YOUR SYSTEM.',
      ].join('\n') + '\n',
    );
  },
};
