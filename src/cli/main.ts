#!/usr/bin/env node
/**
 * The `splitbrain` command line. Each subcommand lives in its own file under commands/ and is
 * listed in commands/index.ts; this file only wires yargs and maps usage errors to exit 64.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { EXIT } from '../analysis/index.js';

async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('splitbrain')
    .strict()
    .demandCommand(1, 'Name a command; see --help.')
    .recommendCommands()
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`splitbrain: ${msg}\nRun 'splitbrain --help' for usage.\n`);
      process.exit(EXIT.usage);
    });
  for (const command of commands) cli = cli.command(command);
  await cli.help().version().parseAsync();
}

main(hideBin(process.argv)).catch((err: unknown) => {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`splitbrain: ${message}\n`);
  process.exit(EXIT.infrastructure);
});
