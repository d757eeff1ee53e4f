/**
 * Rewrites yargs's own usage messages into the one line every splitbrain usage error is: an
 * unknown flag named once (yargs lists `tiem-limit, tiemLimit`) with the nearest flag the
 * command has, and a bad choice as `--flag: unknown value 'v'; choose one of: ...`.
 */

/** Levenshtein distance between two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The known flag nearest to `flag`, when it is close enough to be a typo of it. */
export function nearestFlag(flag: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(flag, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(flag.length / 3)) ? best.name : undefined;
}

/** Kebab-case to the camelCase alias yargs adds for it. */
const CAMEL_OF = (kebab: string): string => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * For yargs's unknown-arguments message, one line naming each unknown flag once and, when one
 * is close, the flag the user probably meant; undefined for any other message.
 */
export function describeUnknownFlags(
  message: string,
  known: readonly string[],
  argv: readonly string[],
): string | undefined {
  const m = /^Unknown arguments?: (.*)$/.exec(message);
  if (!m) return undefined;
  const names = m[1]!.split(', ');
  // yargs lists both spellings of a kebab-case flag; keep the one the user typed.
  const typed = names.filter((n) => !names.some((o) => o !== n && CAMEL_OF(o) === n));
  const dashed = (n: string): string => {
    const flag = n.length === 1 ? `-${n}` : `--${n}`;
    return argv.some((a) => a === flag || a.startsWith(`${flag}=`)) ? flag : `'${n}'`;
  };
  const kebab = known.filter((k) => !/[A-Z]/.test(k));
  const parts = typed.map((n) => {
    const near = nearestFlag(n, kebab);
    return near ? `${dashed(n)} (did you mean --${near}?)` : dashed(n);
  });
  return `unknown ${parts.length === 1 ? 'argument' : 'arguments'} ${parts.join(', ')}`;
}

/** yargs's "Invalid values:\n  Argument: runtime, Given: "nope", Choices: "auto", ..." as one line. */
function describeInvalidValues(message: string): string | undefined {
  const rows = [...message.matchAll(/Argument: ([\w-]+), Given: (.*?), Choices: (.*)/g)];
  if (rows.length === 0) return undefined;
  const unquote = (s: string): string => s.trim().replace(/^"(.*)"$/, '$1');
  return rows
    .map(([, flag, given, choices]) => {
      const list = choices!.split(/,\s*/).map(unquote).join(', ');
      return `--${flag}: unknown value '${unquote(given!)}'; choose one of: ${list}`;
    })
    .join('; ');
}

/**
 * One line for a usage failure yargs reports: `known` is the flags of the command being parsed,
 * `argv` what the user typed (to tell a mistyped flag from a stray word).
 */
export function describeYargsFailure(message: string, known: readonly string[], argv: readonly string[]): string {
  return (
    describeUnknownFlags(message, known, argv) ??
    describeInvalidValues(message) ??
    `${message.replace(/\s*\n\s*/g, ' ')} (see --help)`
  );
}
