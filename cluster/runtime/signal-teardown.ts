/**
 * Ctrl-C handling for anything that owns a cluster: the first SIGINT or SIGTERM tears the
 * cluster down and exits; a second one while that runs exits at once, leaving `cluster clean`
 * to sweep what is left.
 */
import type { StartedCluster } from './runtime.js';

export interface SignalTeardownOptions {
  /** Exit code after a signal-driven teardown (default 130, as shells report SIGINT). */
  exitCode?: number;
  /** Where to say what is happening (default stderr). */
  log?: (line: string) => void;
}

/**
 * Installs SIGINT/SIGTERM handlers that tear `target` down; returns a function that removes them.
 * `target` is a cluster or any teardown function (the runner may heal faults first).
 */
export function installSignalTeardown(
  target: Pick<StartedCluster, 'teardown'> | (() => Promise<void>),
  opts: SignalTeardownOptions = {},
): () => void {
  const teardown = typeof target === 'function' ? target : () => target.teardown();
  // When the parent died first, stderr is a broken pipe; a write error must not kill the teardown.
  process.stderr.on('error', () => undefined);
  const log =
    opts.log ??
    ((line: string) => {
      try {
        process.stderr.write(`${line}\n`);
      } catch {
        // nowhere to say it
      }
    });
  let tearingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (tearingDown) {
      log(`splitbrain: ${signal} again, exiting without finishing teardown; run 'splitbrain cluster clean'.`);
      process.exit(opts.exitCode ?? 130);
    }
    tearingDown = true;
    log(`splitbrain: ${signal}, tearing the cluster down (press Ctrl-C again to force).`);
    teardown()
      .catch((err: unknown) => log(`splitbrain: teardown failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => process.exit(opts.exitCode ?? 130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
