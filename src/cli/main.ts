#!/usr/bin/env node
/**
 * The `splitbrain` command line. Each subcommand lives in its own file under commands/ and is
 * listed in commands/index.ts; this file only wires yargs and maps usage errors to exit 64.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { MalformedHistoryError } from '../../checker/index.js';
import { EXIT } from '../analysis/index.js';
import { UsageError } from './usage-error.js';
import { describeYargsFailure } from './yargs-message.js';

/**
 * A reader that stops early (`splitbrain check --json ... | head`) closes the pipe, which Node
 * reports as an 'error' event on stdout or stderr; with no listener that is a stack trace. Like a
 * Unix tool, stop writing to the closed pipe without a word. The command itself carries on to its
 * end (a run still undoes its faults, a report is still written) and exits with its own code.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
}

async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('splitbrain')
    .strict()
    .demandCommand(1, 'Name a command; see --help.')
    .recommendCommands()
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .fail((msg, err, y) => {
      // Errors thrown by a command's handler are the command's own story; main() below tells it.
      if (err && !(err instanceof UsageError)) throw err;
      // The third argument is yargs's usage instance; its descriptions are the flags of the command
      // being parsed (the method is yargs's own but missing from @types/yargs).
      const usage = y as unknown as { getDescriptions?(): Record<string, unknown> };
      const known = Object.keys(usage.getDescriptions?.() ?? {});
      const line = err ? err.message : describeYargsFailure(msg ?? '', known, argv);
      process.stderr.write(`splitbrain: ${line}\n`);
      process.exit(EXIT.usage);
    });
  for (const command of commands) cli = cli.command(command);
  await cli.help().version().parseAsync();
}

ignoreClosedPipes();
// One line for the user, never a stack trace; SPLITBRAIN_DEBUG=1 adds the stack for a bug report.
main(hideBin(process.argv)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`splitbrain: ${message}\n`);
  if (process.env.SPLITBRAIN_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(
    err instanceof UsageError
      ? EXIT.usage
      : err instanceof MalformedHistoryError
        ? EXIT.malformed
        : EXIT.infrastructure,
  );
});
