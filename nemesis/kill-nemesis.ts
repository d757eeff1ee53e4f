/**
 * Crashes: `kill` SIGKILLs the DB on a target set through the DB's Killable capability, and
 * `start` restarts every node it killed, which must recover from its data directory. The pids
 * before and after go into the history so a reader can see a new process came up.
 */
import type { Db, Killable } from '../cluster/db/index.js';
import { findDbDaemon } from './daemons.js';
import type { Nemesis } from './nemesis.js';
import { createProcessFaultNemesis, type ProcessFaultNemesisOptions } from './process-fault-nemesis.js';

/** What the kill nemesis needs: the cluster and a DB that can be killed and started. */
export interface KillNemesisOptions extends ProcessFaultNemesisOptions {
  db: Db & Killable;
}

/** Makes the nemesis that handles `kill` and `start`. */
export function createKillNemesis(opts: KillNemesisOptions): Nemesis {
  const { db } = opts;
  return createProcessFaultNemesis(
    {
      inject: 'kill',
      heal: 'start',
      state: 'down',
      healFailure: 'kill: could not restart',
      act: async (node, notePid) => {
        const before = findDbDaemon(db, node);
        const wasRunning = before?.isRunning() ?? false;
        if (before !== undefined) notePid(before.pid);
        await db.kill(node);
        if (before === undefined) return; // no handle to check with: trust the DB
        if (!wasRunning) throw new Error('the DB process was not running, so nothing was killed');
        if (before.isRunning()) throw new Error(`pid ${before.pid} still running after kill`);
      },
      undo: (node) => db.start(node),
      pidAfterUndo: (node) => findDbDaemon(db, node)?.pid,
    },
    opts,
  );
}
