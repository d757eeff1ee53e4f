/**
 * What can be injected here, decided before anything starts. A fault named on the command line
 * that cannot be injected is refused with why and what to do; with `all`, such faults are
 * skipped and listed with their reasons, so the run's output says what it did not test.
 */
import { readlink } from 'node:fs/promises';
import { isClockAware, isKillable, isPausable, isRaftStatusAware, type Db } from '../cluster/db/index.js';
import { hasLinkControl } from '../cluster/runtime/index.js';
import type { ExecResult, StartedCluster, StartedNode } from '../cluster/runtime/index.js';
import { describeClockEffect } from './clock-nemesis.js';
import { figure8ClusterProblem } from './figure-8-nemesis.js';
import { NemesisUnavailableError } from './errors.js';
import type { FaultName, NemesisRequest } from './faults.js';

/** A fault that will not run, why, and what would make it run. */
export interface SkippedFault {
  fault: FaultName;
  reason: string;
  remedy: string;
}

/** The outcome of the capability check: faults to run, faults skipped, and caveats to print. */
export interface NemesisCapabilities {
  faults: FaultName[];
  skipped: SkippedFault[];
  /** Caveats about faults that will run, e.g. clock skew on a DB libfaketime cannot reach. */
  notes: string[];
}

type Probe = Promise<Omit<SkippedFault, 'fault'> | undefined>;

/**
 * Probes the cluster and DB for each requested fault. For an explicit list, throws
 * NemesisUnavailableError on the first fault that cannot run; for `all`, returns it as skipped.
 */
export async function checkNemesisCapabilities(
  cluster: StartedCluster,
  db: Db | undefined,
  request: NemesisRequest,
): Promise<NemesisCapabilities> {
  const out: NemesisCapabilities = { faults: [], skipped: [], notes: [] };
  let iptables: Probe | undefined;
  const probes: Record<FaultName, () => Probe> = {
    partition: () => (iptables ??= probeIptables(cluster)),
    packet: async () =>
      (await (iptables ??= probeIptables(cluster))) ??
      (hasLinkControl(cluster) ? undefined : probeStatistic(firstNode(cluster))),
    kill: async () =>
      db !== undefined && isKillable(db)
        ? undefined
        : {
            reason: `the ${db?.name ?? 'missing'} DB cannot be killed and restarted`,
            remedy: 'Drop kill from --nemesis.',
          },
    pause: async () =>
      db !== undefined && isPausable(db)
        ? undefined
        : { reason: `the ${db?.name ?? 'missing'} DB cannot be paused`, remedy: 'Drop pause from --nemesis.' },
    clock: () => probeClock(cluster, db),
    'packet-delay': async () =>
      hasLinkControl(cluster)
        ? {
            reason: `the ${cluster.runtime} runtime's nodes share the host's network stack and the link proxy does not delay`,
            remedy:
              'Run as root so each node gets its own network namespace (and a kernel with sch_netem), or use packet instead.',
          }
        : ((await (iptables ??= probeIptables(cluster))) ?? probeNetem(firstNode(cluster))),
    'figure-8': async () => {
      if (db === undefined || !isRaftStatusAware(db))
        return {
          reason: `the ${db?.name ?? 'missing'} DB does not report its nodes' Raft term, commit and last index`,
          remedy: 'Drop figure-8 from --nemesis (raftkv reports them).',
        };
      const size = figure8ClusterProblem(cluster.nodes.length);
      if (size !== undefined) return { reason: size, remedy: 'Use --nodes 5 (or 7, 9).' };
      return (iptables ??= probeIptables(cluster));
    },
  };
  if (hasLinkControl(cluster) && request.faults.some((f) => f === 'partition' || f === 'packet' || f === 'figure-8')) {
    out.notes.push(
      "partition, packet, figure-8: nodes share the host's network stack here, so they are injected on node-to-node links by splitbrain's userspace link proxy",
    );
  }
  for (const fault of request.faults) {
    const problem = await probes[fault]();
    // With `all`, clock skew that cannot reach the DB is skipped; asked for by name it runs, flagged.
    const clockMoot = fault === 'clock' && problem === undefined && !describeClockEffect(db).effective;
    if (problem === undefined && !(clockMoot && request.all)) {
      out.faults.push(fault);
      if (clockMoot)
        out.notes.push(`clock: ${describeClockEffect(db).note}; offsets are set and recorded but change nothing`);
      continue;
    }
    const skip = problem ?? {
      reason: describeClockEffect(db).note as string,
      remedy: 'Name clock explicitly to inject it anyway; it will be recorded as ineffective.',
    };
    if (!request.all) throw new NemesisUnavailableError(fault, skip.reason, skip.remedy);
    out.skipped.push({ fault, ...skip });
  }
  if (db !== undefined && isClockAware(db) && out.faults.includes('clock') && db.clockSkewEffective) {
    out.notes.push(`clock: ${db.name} reads its wall clock through libc, so libfaketime offsets reach it`);
  }
  return out;
}

function firstNode(cluster: StartedCluster): StartedNode {
  const node = cluster.nodes[0];
  if (node === undefined) throw new Error('the cluster has no nodes');
  return node;
}

/**
 * iptables rules are only safe in a node with its own network stack: in a node that shares the
 * host's, a DROP rule would cut the host, not a node. Checks the runtime's own claim, then that
 * iptables runs in every node, that every node's network namespace differs from ours, and that
 * addresses are distinct IPv4 addresses.
 */
async function probeIptables(cluster: StartedCluster): Probe {
  // Proxied links take partitions and loss without touching any firewall.
  if (hasLinkControl(cluster)) return undefined;
  const remedy =
    'Run as root so the local runtime gives each node its own network namespace, or use --runtime docker with an image that has iptables; or drop partition/packet from --nemesis.';
  const caps = (cluster as Partial<Pick<StartedCluster, 'capabilities'>>).capabilities;
  if (caps !== undefined && !caps.iptables) {
    return {
      reason: `the ${cluster.runtime} runtime cannot take iptables rules here (${reasonsAbout(caps, false).join('; ')})`,
      remedy,
    };
  }
  const hostNs = await readlink('/proc/self/ns/net').catch(() => undefined);
  const addresses = new Set<string>();
  for (const node of cluster.nodes) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(node.address) || node.address.startsWith('127.')) {
      return { reason: `node ${node.name} has address ${node.address}, not a private IPv4 address of its own`, remedy };
    }
    addresses.add(node.address);
    // A remote host's namespace inode says nothing about ours (the initial one has the same
    // number on every Linux machine), and its rules cut that host, not this one.
    const ns = cluster.runtime === 'ssh' ? undefined : await tryExec(node, ['readlink', '/proc/self/ns/net']);
    if (ns !== undefined && ns.exitCode === 0 && hostNs !== undefined && ns.stdout.trim() === hostNs) {
      return {
        reason: `node ${node.name} shares the host's network namespace (${hostNs}), so a rule there would cut the host`,
        remedy,
      };
    }
    const r = await tryExec(node, ['iptables', '-w', '5', '-S', 'INPUT']);
    if (r.exitCode !== 0) {
      return {
        reason: `iptables does not run in node ${node.name} (exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().slice(0, 200)})`,
        remedy,
      };
    }
  }
  if (addresses.size !== cluster.nodes.length) return { reason: 'two nodes share an address', remedy };
  return undefined;
}

/** Checks the `statistic` match loads, in a throwaway chain that is never jumped to. */
async function probeStatistic(node: StartedNode): Probe {
  const chain = 'SPLITBRAIN-PROBE';
  const script = `*filter\n:${chain} - [0:0]\n-A ${chain} -m statistic --mode random --probability 0.5 -j RETURN\nCOMMIT\n`;
  const r = await tryExec(node, ['iptables-restore', '-w', '5', '--noflush'], script);
  await tryExec(node, ['iptables', '-w', '5', '-F', chain]);
  await tryExec(node, ['iptables', '-w', '5', '-X', chain]);
  if (r.exitCode === 0) return undefined;
  return {
    reason: `the iptables statistic match does not load in node ${node.name}: ${(r.stderr || r.stdout).trim().slice(0, 200)}`,
    remedy: 'Load the xt_statistic module on the host, or drop packet from --nemesis.',
  };
}

/** Adds and removes a netem qdisc on the node's loopback; kernels without sch_netem refuse. */
async function probeNetem(node: StartedNode): Probe {
  const r = await tryExec(node, ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
  if (r.exitCode === 0) {
    await tryExec(node, ['tc', 'qdisc', 'del', 'dev', 'lo', 'root', 'netem']);
    return undefined;
  }
  return {
    reason: `tc netem does not work in node ${node.name} (tc said: ${(r.stderr || r.stdout).trim().slice(0, 200) || `exit ${r.exitCode}`}); this kernel has no sch_netem`,
    remedy: 'Use packet (random loss with iptables) instead, or run on a kernel with the sch_netem module.',
  };
}

/**
 * Checks every node takes a clock offset (resetting it to 0, which changes nothing), and that
 * the DB has no reason of its own why offsets cannot reach it here.
 */
async function probeClock(cluster: StartedCluster, db: Db | undefined): Probe {
  const remedy =
    'Install libfaketime (Debian package libfaketime) on the host or in the node image, or drop clock from --nemesis.';
  const caps = (cluster as Partial<Pick<StartedCluster, 'capabilities'>>).capabilities;
  if (caps !== undefined && !caps.faketime) {
    return {
      reason: `libfaketime is not available to the ${cluster.runtime} runtime (${reasonsAbout(caps, true).join('; ')})`,
      remedy,
    };
  }
  const dbProblem = db !== undefined && isClockAware(db) ? await db.clockSkewProblem?.(cluster) : undefined;
  if (dbProblem !== undefined) {
    return {
      reason: `${db?.name}: ${dbProblem}`,
      remedy:
        "Use an image with a glibc as new as the host's (Debian, Ubuntu, distroless/base), or drop clock from --nemesis.",
    };
  }
  for (const node of cluster.nodes) {
    try {
      await node.setClockOffset(0);
    } catch (e) {
      return {
        reason: `node ${node.name} cannot take a clock offset: ${e instanceof Error ? e.message : String(e)}`,
        remedy,
      };
    }
  }
  return undefined;
}

/** The runtime's reasons about libfaketime (`clock` true) or about everything else, so each fault quotes its own. */
function reasonsAbout(caps: StartedCluster['capabilities'], clock: boolean): readonly string[] {
  const picked = caps.reasons.filter((r) => /faketime/i.test(r) === clock);
  return picked.length > 0 ? picked : caps.reasons;
}

/** Runs a probe command; a command that cannot even start counts as a failed one. */
async function tryExec(node: StartedNode, argv: string[], input?: string): Promise<ExecResult> {
  try {
    return await node.exec(argv, input === undefined ? { timeoutMs: 15_000 } : { timeoutMs: 15_000, input });
  } catch (e) {
    return { exitCode: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The lines a run prints for skipped faults: one per cause, naming the faults it stops and its
 * remedy once, so faults that share a missing tool do not repeat it line after line.
 */
export function describeSkippedFaults(skipped: readonly SkippedFault[]): string[] {
  const byCause = new Map<string, { faults: FaultName[]; reason: string; remedy: string }>();
  for (const s of skipped) {
    const cause = `${s.reason}\n${s.remedy}`;
    const entry = byCause.get(cause) ?? { faults: [], reason: s.reason, remedy: s.remedy };
    entry.faults.push(s.fault);
    byCause.set(cause, entry);
  }
  return [...byCause.values()].map(
    ({ faults, reason, remedy }) =>
      `skipping fault${faults.length === 1 ? '' : 's'} ${faults.join(', ')}: ${reason.replace(/\.$/, '')}. ${remedy}`,
  );
}
