/**
 * Pauses: `pause` SIGSTOPs the DB on a target set through the DB's Pausable capability, and
 * `resume` SIGCONTs every node it paused. The paused set is tracked by the process-fault
 * mechanism, because a container engine (and `kill -0`) reports a stopped process as running.
 */
import type { Db, Pausable } from '../cluster/db/index.js';
import { findDbDaemon } from './daemons.js';
import type { Nemesis } from './nemesis.js';
import { createProcessFaultNemesis, type ProcessFaultNemesisOptions } from './process-fault-nemesis.js';

/** What the pause nemesis needs: the cluster and a DB that can be paused and resumed. */
export interface PauseNemesisOptions extends ProcessFaultNemesisOptions {
  db: Db & Pausable;
}

/** Makes the nemesis that handles `pause` and `resume`. */
export function createPauseNemesis(opts: PauseNemesisOptions): Nemesis {
  const { db } = opts;
  return createProcessFaultNemesis(
    {
      inject: 'pause',
      heal: 'resume',
      state: 'paused',
      healFailure: 'pause: could not resume',
      act: async (node, notePid) => {
        await db.pause(node);
        const d = findDbDaemon(db, node);
        if (d === undefined) return;
        notePid(d.pid);
        if (!d.isRunning()) throw new Error('the DB process is not running, so nothing was paused');
        if (!d.isPaused()) throw new Error(`pid ${d.pid} is not paused after SIGSTOP`);
      },
      undo: (node) => db.resume(node),
    },
    opts,
  );
}
