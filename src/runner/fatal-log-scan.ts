/**
 * The scan of node logs for fatal lines, as Jepsen's log-file-pattern checker: each DB names the
 * pattern of a line it writes only when something is badly wrong (`fatalLogPattern`, next to the
 * DB in cluster/db/), and any such line in any node's log fails the test, whatever the history.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../cluster/db/index.js';
import type { Checker } from '../analysis/index.js';
import type { NodeDeath } from './liveness.js';

/** One fatal line found in a node's log. */
export interface FatalLine {
  node: string;
  /** The log file, relative to the run's nodes folder. */
  file: string;
  line: string;
  /** The wall-clock time at the start of the line, when it has one (ISO 8601). */
  at?: string;
}

/** The DB's fatal-line pattern, if it declares one. */
export function fatalPatternOf(db: Db): RegExp | undefined {
  const p = (db as { fatalLogPattern?: unknown }).fatalLogPattern;
  return p instanceof RegExp ? p : undefined;
}

/** Scans `<nodesDir>/<node>/*.log` for lines matching the pattern; at most `limit` lines. */
export function scanFatalLines(nodesDir: string, pattern: RegExp, limit = 20): FatalLine[] {
  const out: FatalLine[] = [];
  let nodes: string[];
  try {
    nodes = readdirSync(nodesDir).sort();
  } catch {
    return out;
  }
  for (const node of nodes) {
    const dir = path.join(nodesDir, node);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
      for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        if (!pattern.test(line)) continue;
        // A plain line starts with its time; a JSON (zap) line carries it as "ts".
        const at = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)|^\{.*?"ts":"(\d{4}-\d\d-\d\dT[\d:.]+Z)"/
          .exec(line)
          ?.slice(1)
          .find(Boolean);
        out.push({ node, file: path.join(node, file), line: line.slice(0, 300), ...(at ? { at } : {}) });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

/** Node processes that exited by themselves and fatal lines in their logs, for results.json. */
export interface NodeFailures {
  deaths: readonly NodeDeath[];
  fatalLines: FatalLine[];
  /** The one-line reason the run is invalid. */
  reason: string;
}

/** Scans the run's node logs (after teardown collected them) and joins the deaths; undefined when all is well. */
export function scanNodeFailures(db: Db, nodesDir: string, deaths: readonly NodeDeath[]): NodeFailures | undefined {
  const pattern = fatalPatternOf(db);
  const fatalLines = pattern ? scanFatalLines(nodesDir, pattern) : [];
  const parts: string[] = [];
  if (deaths.length > 0) {
    const d = deaths[0]!;
    parts.push(
      `${deaths.length} node process(es) exited by themselves (first: ${d.node} with code ${d.code} at ${(d.time / 1e9).toFixed(1)} s)`,
    );
  }
  if (fatalLines.length > 0)
    parts.push(`fatal log line on ${fatalLines[0]!.node}: ${fatalLines[0]!.line.slice(0, 160)}`);
  if (parts.length === 0) return undefined;
  return { deaths, fatalLines, reason: `node failure: ${parts.join('; ')}` };
}

/**
 * Composes the history's checker with the node-failure check, as Jepsen composes its checkers:
 * a history the checker finds linearizable is still invalid when a node failed, with the failure
 * as the reason; a counterexample, when there is one, is kept.
 */
export function withNodeFailures(checker: Checker, failures: NodeFailures | undefined): Checker {
  if (failures === undefined) return checker;
  return async (events, context) => {
    const result = await checker(events, context);
    return result.valid === false ? result : { ...result, valid: false, reason: failures.reason };
  };
}
