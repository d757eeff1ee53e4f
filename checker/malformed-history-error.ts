/**
 * The error the pairing and every history reader throw for input they cannot accept. The CLI maps
 * it to exit 65 and prints `file:line: what is wrong`, so the message must stand on its own.
 */
export class MalformedHistoryError extends Error {
  /** Which file held the bad input (undefined for in-memory histories). */
  readonly file: string | undefined;
  /** 1-based line of the bad input, when known. */
  readonly line: number | undefined;
  /** What is wrong, without the location prefix. */
  readonly problem: string;

  constructor(problem: string, file?: string, line?: number) {
    super(`${file ?? '<history>'}${line === undefined ? '' : `:${line}`}: ${problem}`);
    this.name = 'MalformedHistoryError';
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}
