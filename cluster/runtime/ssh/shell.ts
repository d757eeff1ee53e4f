/** Quoting for the remote shell: the SSH exec request carries one command line, not an argv. */

/** Quotes one argument for a POSIX shell (left bare when it holds only safe characters). */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Quotes an argv into one command line. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** A command line that runs `script` under `sh` with positional arguments, whatever the login shell is. */
export function shScript(script: string, args: readonly string[] = []): string {
  return shellJoin(['sh', '-c', script, 'sh', ...args]);
}
