/**
 * Removing what the SSH runtime put on a host: processes carrying a node's (or run's, or any
 * run's) marker, splitbrain's iptables chains with the jumps to them, and the folders. Used by
 * teardown for one node and by `cluster clean` for a run or for everything.
 */
import { planHostRuleRemoval, splitRule } from '../host-sweep.js';
import { REMOTE_BASE, SSH_DIR_ENV } from './remote-layout.js';
import { KILL_MARKED, REMOVE_DIRS } from './remote-scripts.js';
import type { SshConnection } from './ssh-connection.js';
import { shellJoin, shScript } from './shell.js';

const TIMEOUT_MS = 60_000;

/**
 * Sweeps one host: kills processes whose marker folder starts with `scope` (a folder under
 * REMOTE_BASE, ending in `/`), removes splitbrain's chains, then removes `folders`. Returns one
 * line per thing removed; throws when a step cannot run at all.
 */
export async function sweepRemote(connection: SshConnection, scope: string, folders: string[]): Promise<string[]> {
  if (!scope.startsWith(`${REMOTE_BASE}/`) || !scope.endsWith('/')) throw new Error(`bad sweep scope ${scope}`);
  const out: string[] = [];
  const killed = await connection.run(shScript(KILL_MARKED, [`${SSH_DIR_ENV}=${scope}`]), { timeoutMs: TIMEOUT_MS });
  if (killed.exitCode !== 0)
    throw new Error(`host ${connection.label}: cannot stop processes: ${killed.stderr.trim()}`);
  out.push(...lines(killed.stdout));
  out.push(...(await removeChains(connection)));
  const removed = await connection.run(shScript(REMOVE_DIRS, [REMOTE_BASE, ...folders]), { timeoutMs: TIMEOUT_MS });
  if (removed.exitCode !== 0)
    throw new Error(`host ${connection.label}: cannot remove folders: ${removed.stderr.trim()}`);
  out.push(...lines(removed.stdout));
  return out;
}

/**
 * Removes every SPLITBRAIN* chain of the host's filter table and the rules jumping to it (the
 * nemesis heals its own; this is for a run that died). Rules of other tools are not touched;
 * nothing when iptables is absent or not allowed.
 */
async function removeChains(connection: SshConnection): Promise<string[]> {
  const save = await connection.run('iptables-save -t filter', { timeoutMs: TIMEOUT_MS }).catch(() => undefined);
  if (save === undefined || save.exitCode !== 0) return [];
  const plan = planHostRuleRemoval(save.stdout);
  const out: string[] = [];
  for (const rule of plan.rules) {
    const args = splitRule(rule.line);
    if (!/^SPLITBRAIN/.test(args[args.indexOf('-j') + 1] ?? '')) continue;
    const r = await connection.run(shellJoin(['iptables', '-w', '5', ...rule.deleteArgs]), { timeoutMs: TIMEOUT_MS });
    if (r.exitCode === 0) out.push(`iptables rule ${rule.line}`);
  }
  for (const chain of plan.chains) {
    await connection.run(shellJoin(['iptables', '-w', '5', '-F', chain]), { timeoutMs: TIMEOUT_MS });
    const r = await connection.run(shellJoin(['iptables', '-w', '5', '-X', chain]), { timeoutMs: TIMEOUT_MS });
    if (r.exitCode === 0) out.push(`iptables chain ${chain}`);
  }
  return out;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
