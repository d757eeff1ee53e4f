/**
 * Typed errors the runner maps to exit codes: a fault that cannot be injected here (refused
 * before anything starts), a fault that was asked for but bit nothing, and a heal that failed.
 * All of them are infrastructure errors (exit 3), never a verdict about the system under test.
 */
import type { FaultName } from './faults.js';

/** Thrown before a run starts when a fault named on the command line cannot be injected here. */
export class NemesisUnavailableError extends Error {
  override readonly name = 'NemesisUnavailableError';
  constructor(
    readonly fault: FaultName,
    readonly reason: string,
    readonly remedy: string,
  ) {
    super(`--nemesis ${fault} cannot be injected here: ${reason}. ${remedy}`);
  }
}

/** Thrown after a run when a requested fault injected nothing: no rule added, no process signalled. */
export class NemesisDidNotBiteError extends Error {
  override readonly name = 'NemesisDidNotBiteError';
  constructor(readonly failures: readonly { fault: FaultName; reason: string }[]) {
    super(
      'the nemesis did not bite: ' +
        failures.map((f) => `${f.fault}: ${f.reason}`).join('; ') +
        '. The run cannot claim anything about these faults.',
    );
  }
}

/** Thrown by teardown when something the nemesis did could not be undone; lists what is left. */
export class NemesisHealError extends Error {
  override readonly name = 'NemesisHealError';
  constructor(readonly leftovers: readonly string[]) {
    super(`the nemesis could not heal everything: ${leftovers.join('; ')}`);
  }
}

/** Thrown by the validating wrapper when a nemesis breaks the interface's contract. */
export class NemesisContractError extends Error {
  override readonly name = 'NemesisContractError';
}
