/** The errors that end a run before a verdict. */
import { oneLine } from '../analysis/index.js';

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
