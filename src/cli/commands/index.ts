/**
 * Every subcommand of `splitbrain`, one file each. Add a command by adding its module here.
 */
import type { CommandModule } from 'yargs';
import { serveCommand } from './serve.js';
import { testCommand } from './test.js';
import { analyzeCommand } from './analyze.js';
import { checkCommand } from './check.js';
import { simCommand } from './sim.js';
import { clusterCommand } from './cluster.js';
import { imagesCommand } from './images.js';
import { initCommand } from './init.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs command modules differ in their argument types
export const commands: CommandModule<any, any>[] = [
  serveCommand,
  testCommand,
  analyzeCommand,
  checkCommand,
  simCommand,
  clusterCommand,
  imagesCommand,
  initCommand,
];
