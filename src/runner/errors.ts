/** The errors that end a run before a verdict. */

/** A phase of the run failed: exit 3, with the phase and cause on one line. */
export class InfrastructureError extends Error {
  constructor(
    readonly phase: string,
    override readonly cause: unknown,
  ) {
    super(`${phase}: ${oneLine(cause)}`);
  }
}

/** The run was asked for something this machine cannot do (a fault named explicitly): exit 64. */
export class RunRefusedError extends Error {}

/** The first line of an error's message (the rest goes to the log). */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}

/** Runs `fn`, failing with a timeout error named after the phase when it takes longer than `ms`. */
export async function withPhaseTimeout<T>(phase: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${phase} did not finish within ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
