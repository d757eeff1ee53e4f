/** `splitbrain serve`: browse every run in the store, with its report and files, over HTTP. */
import { existsSync, statSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { startStoreServer } from '../../report/index.js';
import { EXIT } from '../../analysis/index.js';

interface ServeArgs {
  store: string;
  port: number;
  host: string;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Serve an index of all runs in the store (newest first) with their reports and files',
  builder: (y) =>
    y
      .option('store', { type: 'string', default: 'store', describe: 'Store folder to serve' })
      .option('port', { type: 'number', default: 8080, describe: 'TCP port (0 picks a free one)' })
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'Address to bind; other hosts can reach it only if you say so',
      })
      .example('$0 serve', 'browse ./store at http://127.0.0.1:8080/')
      .example('$0 serve --store /ci/store --port 0', 'another store on a free port (printed)'),
  handler: async (argv) => {
    // Checked here rather than in a yargs .check(): main.ts maps an error thrown there to exit 3.
    if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) {
      process.stderr.write(`splitbrain: --port must be an integer 0..65535, got ${argv.port}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    if (!existsSync(argv.store) || !statSync(argv.store).isDirectory()) {
      process.stderr.write(
        `splitbrain: --store ${argv.store} is not a folder (run 'splitbrain test' first, or name one)\n`,
      );
      process.exitCode = EXIT.usage;
      return;
    }
    const server = await startStoreServer({ store: argv.store, port: argv.port, host: argv.host });
    process.stdout.write(`splitbrain: serving ${argv.store} at ${server.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        void server.close().then(done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
