/**
 * Finding the DB's process in a node, so kill and pause can record pids and check that a
 * signal really landed (a process still running after a kill was not hit). Both places that
 * may know it are optional: a DB may expose `daemon(nodeName)`, a runtime `node.daemons()`.
 */
import type { Db } from '../cluster/db/index.js';
import type { Daemon, StartedNode } from '../cluster/runtime/index.js';

/** The DB's current daemon in a node, or undefined when neither the DB nor the runtime says. */
export function findDbDaemon(db: Db, node: StartedNode): Daemon | undefined {
  const fromDb = (db as { daemon?: unknown }).daemon;
  if (typeof fromDb === 'function') {
    const d = (fromDb as (name: string) => Daemon | undefined).call(db, node.name);
    if (d !== undefined) return d;
  }
  const list = (node as { daemons?: () => readonly Daemon[] }).daemons?.() ?? [];
  return list.find((d) => d.name === db.name) ?? list[0];
}
