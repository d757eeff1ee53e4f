/**
 * `splitbrain.log`: the run's detailed log, one timestamped line per entry, appended synchronously
 * so a crashed run keeps everything written before the crash.
 */
import { appendFileSync } from 'node:fs';

/** Where log lines go. The runner logs through this so tests can pass their own. */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

/** A log appending to a file. */
export function fileRunLog(path: string): RunLog {
  const write = (level: string, message: string) =>
    appendFileSync(path, `${new Date().toISOString()} ${level} ${message}\n`);
  return {
    info: (m) => write('INFO ', m),
    warn: (m) => write('WARN ', m),
    error: (m, err) =>
      write(
        'ERROR',
        err === undefined ? m : `${m}\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      ),
  };
}
