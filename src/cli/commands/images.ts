/** `splitbrain images build`: build (or find) the node image, offline with debootstrap by default. */
import type { CommandModule } from 'yargs';
import { ensureBaseImage, type BuildMethod } from '../../../cluster/images/index.js';

interface BuildArgs {
  method: BuildMethod | 'auto';
  force: boolean;
}

const build: CommandModule<object, BuildArgs> = {
  command: 'build',
  describe: 'Build the node image once per machine (tagged by a hash of its recipe)',
  builder: (y) =>
    y
      .option('method', {
        choices: ['auto', 'debootstrap', 'dockerfile'] as const,
        default: 'auto' as BuildMethod | 'auto',
        describe:
          'debootstrap + docker import (root, no registry needed) or the Dockerfile (needs a registry); auto: debootstrap when possible',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Rebuild even if the image exists' })
      .example('$0 images build', 'build the node image if it is missing (offline, with debootstrap when root)')
      .example('$0 images build --force', 'rebuild it, e.g. after changing its recipe'),
  handler: async (argv) => {
    const result = await ensureBaseImage({
      method: argv.method,
      force: argv.force,
      log: (l) => process.stdout.write(`${l}\n`),
    });
    process.stdout.write(
      result.built ? `built ${result.tag} in ${result.seconds.toFixed(1)} s\n` : `${result.tag} exists already\n`,
    );
  },
};

/** The `images` command. */
export const imagesCommand: CommandModule<object, object> = {
  command: 'images <command>',
  describe: 'Build the Docker image nodes run in',
  builder: (y) => y.command(build).demandCommand(1).example('$0 images build', 'build the node image'),
  handler: () => undefined,
};
