/**
 * A tiny datadriven runner (after etcd raft's testdata/*.txt): a scenario file is a header
 * comment and then cases, each a command line, a `----` separator and the expected output,
 * ending at a blank line. Run with REWRITE=1 to regenerate the expected output for review.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** One case: the command, its `key=value` arguments and the expected output. */
export interface DataCase {
  line: number;
  command: string;
  args: Record<string, string>;
  source: string;
  expected: string;
}

/** Parses `cmd a=1 b="x y"` into the command and its arguments. */
export function parseCommand(source: string): { command: string; args: Record<string, string> } {
  const [command = '', ...rest] = source.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  const args: Record<string, string> = {};
  for (const token of rest) {
    const eq = token.indexOf('=');
    const key = eq < 0 ? token : token.slice(0, eq);
    args[key] = eq < 0 ? 'true' : token.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { command, args };
}

/** Reads a scenario file into its header and cases. */
export function readScenario(file: string): { header: string[]; cases: DataCase[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const header: string[] = [];
  const cases: DataCase[] = [];
  let i = 0;
  while (i < lines.length && (lines[i]?.startsWith('#') || lines[i]?.trim() === '')) header.push(lines[i++] as string);
  while (i < lines.length) {
    const source = (lines[i] as string).trim();
    if (source === '' || source.startsWith('#')) {
      i++;
      continue;
    }
    const line = i + 1;
    i++;
    if (lines[i]?.trim() !== '----') throw new Error(`${file}:${line}: expected ---- after the command`);
    i++;
    const out: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '') out.push(lines[i++] as string);
    cases.push({ line, source, ...parseCommand(source), expected: out.join('\n') });
  }
  return { header, cases };
}

/** Writes a scenario file back with new outputs, keeping header and commands. */
export function writeScenario(file: string, header: string[], cases: { source: string; actual: string }[]): void {
  const body = cases.map((c) => `${c.source}\n----\n${c.actual}\n`).join('\n');
  const head = header.filter((l, idx) => !(l.trim() === '' && idx === header.length - 1)).join('\n');
  writeFileSync(file, `${head.trimEnd()}\n\n${body}`);
}
