/**
 * Sweeping the host for what local runs leave behind: daemon processes (found by the run marker
 * in their environment), `sb-` network namespaces and links, splitbrain's FORWARD accept rules
 * and any `SPLITBRAIN*` iptables chains.
 */
import { readFile, readdir } from 'node:fs/promises';
import { execa } from 'execa';
import { NAME_PREFIX, RUN_ENV, runTag } from './run-tag.js';

/** The comment on every host iptables rule a run adds: `splitbrain:<tag>`. */
export const RULE_COMMENT_PREFIX = 'splitbrain:';

/** Pids of processes whose environment carries the run marker (for `runId`, or any run). */
export async function markedPids(runId?: string): Promise<number[]> {
  const wanted = runId === undefined ? `${RUN_ENV}=` : `${RUN_ENV}=${runId}\0`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const env = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (env.includes(wanted)) pids.push(pid);
  }
  return pids;
}

/** SIGKILLs every marked process and returns one line per process. */
export async function killMarked(runId?: string): Promise<string[]> {
  const out: string[] = [];
  for (const pid of await markedPids(runId)) {
    try {
      process.kill(pid, 'SIGKILL');
      out.push(`process ${pid}`);
    } catch {
      // gone already
    }
  }
  return out;
}

/** Splits an iptables-save rule line into arguments, undoing its double quotes. */
export function splitRule(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!,
  );
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  const r = await execa(cmd, args, { reject: false });
  return { ok: !r.failed, stdout: r.stdout };
}

/** Says whether an interface or namespace name belongs to the run with `tag` (any run when undefined). */
export function ownedName(name: string, tag?: string): boolean {
  if (tag === undefined) return name.startsWith(NAME_PREFIX);
  return name === `${NAME_PREFIX}${tag}` || name.startsWith(`${NAME_PREFIX}${tag}-`);
}

/** Deletes network namespaces of the run with `tag` (any run), killing what runs in them first. */
export async function deleteNamespaces(tag?: string): Promise<string[]> {
  const out: string[] = [];
  const list = await run('ip', ['netns', 'list']);
  if (!list.ok) return out;
  for (const line of list.stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (!ownedName(name, tag)) continue;
    const pids = await run('ip', ['netns', 'pids', name]);
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    if ((await run('ip', ['netns', 'del', name])).ok) out.push(`namespace ${name}`);
  }
  return out;
}

/** Deletes links (bridges, veths) of the run with `tag` (any run). */
export async function deleteLinks(tag?: string): Promise<string[]> {
  const out: string[] = [];
  const list = await run('ip', ['-o', 'link', 'show']);
  if (!list.ok) return out;
  for (const line of list.stdout.split('\n')) {
    const name = line.split(': ')[1]?.split('@')[0] ?? '';
    if (!ownedName(name, tag)) continue;
    if ((await run('ip', ['link', 'del', name])).ok) out.push(`link ${name}`);
  }
  return out;
}

/** What to remove from the host's filter table: rules (as `-D` arguments) first, then chains. */
export interface HostRulePlan {
  rules: { line: string; deleteArgs: string[] }[];
  chains: string[];
}

/**
 * Works out, from `iptables-save -t filter` output, which rules are splitbrain's: those
 * commented `splitbrain:<tag>` (any tag when `tag` is undefined) and, when sweeping everything,
 * `SPLITBRAIN*` chains with the rules that jump to them.
 */
export function planHostRuleRemoval(saveOutput: string, tag?: string): HostRulePlan {
  const lines = saveOutput.split('\n');
  const comment = `${RULE_COMMENT_PREFIX}${tag ?? ''}`;
  const chains =
    tag === undefined ? lines.filter((l) => l.startsWith(':SPLITBRAIN')).map((l) => l.slice(1).split(' ')[0]!) : [];
  const rules: HostRulePlan['rules'] = [];
  for (const line of lines) {
    if (!line.startsWith('-A ')) continue;
    const args = splitRule(line);
    const mine = args.some((a) => (tag === undefined ? a.startsWith(comment) : a === comment));
    const jump = args[args.indexOf('-j') + 1];
    const jumpsToOurs = args.includes('-j') && jump !== undefined && chains.includes(jump);
    const inOurs = chains.includes(args[1] ?? '');
    if ((mine || jumpsToOurs) && !inOurs) rules.push({ line, deleteArgs: ['-D', ...args.slice(1)] });
  }
  return { rules, chains };
}

/** Deletes splitbrain's host filter rules and chains (see planHostRuleRemoval); one line per thing removed. */
export async function deleteHostRules(tag?: string): Promise<string[]> {
  const out: string[] = [];
  const save = await run('iptables-save', ['-t', 'filter']);
  if (!save.ok) return out;
  const plan = planHostRuleRemoval(save.stdout, tag);
  for (const rule of plan.rules) {
    if ((await run('iptables', rule.deleteArgs)).ok) out.push(`iptables rule ${rule.line}`);
  }
  for (const chain of plan.chains) {
    await run('iptables', ['-F', chain]);
    if ((await run('iptables', ['-X', chain])).ok) out.push(`iptables chain ${chain}`);
  }
  return out;
}

/** Everything a local run (or every local run) left on the host, removed; one line per thing. */
export async function sweepHost(runId?: string): Promise<string[]> {
  const tag = runId === undefined ? undefined : runTag(runId);
  return [
    ...(await killMarked(runId)),
    ...(await deleteNamespaces(tag)),
    ...(await deleteLinks(tag)),
    ...(await deleteHostRules(tag)),
  ];
}
