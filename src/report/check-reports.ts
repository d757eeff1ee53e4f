import { basename, join } from 'node:path';
import type { CheckResult } from '../../checker/index.js';
import type { HistoryEvent } from '../history/index.js';
import { writeReport, type WrittenReport } from './write-report.js';

/** One checked file, as `splitbrain check` holds it. */
export interface CheckedFile {
  file: string;
  result: CheckResult;
  history: { events: readonly HistoryEvent[] };
}

/**
 * Writes the reports of `splitbrain check --report DIR`: `DIR/index.html` for one history, or
 * `DIR/<file name>/index.html` for each of several (names made file-system safe and unique).
 */
export async function writeCheckReports(
  dir: string,
  checked: readonly CheckedFile[],
  command: string,
): Promise<WrittenReport[]> {
  const used = new Set<string>();
  const written: WrittenReport[] = [];
  for (const c of checked) {
    let target = dir;
    if (checked.length > 1) {
      const base = basename(c.file).replace(/[^A-Za-z0-9._-]/g, '_') || 'history';
      let name = base;
      for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
      used.add(name);
      target = join(dir, name);
    }
    written.push(await writeReport(target, { result: c.result, events: c.history.events, command, title: c.file }));
  }
  return written;
}
