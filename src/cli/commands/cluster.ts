/**
 * `splitbrain cluster up|status|down|clean`: bring a cluster up and leave it running for manual
 * poking, show what is up, take it down, and sweep whatever any earlier run left behind.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BUNDLED_ADAPTERS } from '../../adapters/index.js';
import { defaultReadConsistency } from '../../adapter/index.js';
import {
  cleanAll,
  DockerRuntime,
  installSignalTeardown,
  LocalRuntime,
  markedPids,
  newRunId,
  RUN_LABEL,
  readClusterStates,
  selectRuntime,
  SSH_OPTIONS,
  sshFlagsOf,
  sshOptionsFromFlags,
  SshRuntime,
  writeClusterState,
  type ClusterState,
  type RuntimeChoice,
  type SshFlags,
} from '../../../cluster/runtime/index.js';
import { EXIT } from '../../analysis/index.js';
import { DEFAULT_NODES, RUNTIME_CHOICES } from '../defaults.js';
import { UsageError } from '../usage-error.js';
import Docker from 'dockerode';

interface UpArgs {
  runtime: RuntimeChoice;
  db: string;
  nodes?: number;
  'log-dir'?: string;
}

interface RunArgs {
  run?: string;
}

interface CleanArgs extends RunArgs {
  runtime?: 'ssh';
}

/** The SSH flags of a command line, with the hosts file's path made absolute so a later `down` finds it. */
function sshFlags(argv: object): SshFlags {
  const flags = sshFlagsOf(argv as Record<string, unknown>);
  return flags.hostsFile === undefined ? flags : { ...flags, hostsFile: path.resolve(flags.hostsFile) };
}

/** The SSH runtime for flags; a bad hosts file or missing flag ends the command with exit 64. */
async function sshRuntimeOf(flags: SshFlags): Promise<SshRuntime> {
  try {
    return new SshRuntime(await sshOptionsFromFlags(flags));
  } catch (e) {
    process.stderr.write(`splitbrain: ${(e as Error).message}\n`);
    process.exit(EXIT.usage);
  }
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function describeState(s: ClusterState): string {
  const rows = s.nodes.map((n) => `  ${n.name.padEnd(6)} ${n.address.padEnd(15)} ${n.endpoint ?? ''}`);
  return [
    `run ${s.runId}: ${s.runtime}, db ${s.db}, ${s.nodes.length} nodes, up since ${s.createdAt}, logs in ${s.logDir}`,
    ...rows,
  ].join('\n');
}

const up: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Start a cluster (and a DB on it) and leave it running',
  builder: (y) =>
    y
      .option('runtime', {
        choices: RUNTIME_CHOICES,
        default: 'auto' as RuntimeChoice,
        describe: 'Where nodes run (ssh: the --hosts-file hosts)',
      })
      .options(SSH_OPTIONS)
      .option('db', {
        choices: ['none', ...Object.keys(BUNDLED_ADAPTERS)],
        default: 'none',
        describe: 'DB to start on the nodes (none: nodes only)',
      })
      .option('nodes', {
        type: 'number',
        describe: `Number of nodes (default ${DEFAULT_NODES}, or with --runtime ssh the host count)`,
      })
      .option('log-dir', { type: 'string', describe: 'Folder for node logs (default store/clusters/<run>)' })
      .check((a) => {
        if (a.nodes !== undefined && (!Number.isInteger(a.nodes) || a.nodes < 1 || a.nodes > 50))
          throw new UsageError(`--nodes must be 1..50, got ${a.nodes}`);
        return true;
      })
      .example('$0 cluster up --db raftkv', `${DEFAULT_NODES} raftkv nodes on the best runtime, left running`)
      .example('$0 cluster up --runtime local --nodes 3 --db etcd', 'three etcd nodes as local processes'),
  handler: async (argv) => {
    const ssh = argv.runtime === 'ssh' ? sshFlags(argv) : undefined;
    const runtime = ssh
      ? await sshRuntimeOf(ssh)
      : await selectRuntime(argv.runtime, { log: (l) => out(`image: ${l}`) });
    const count = argv.nodes ?? (runtime instanceof SshRuntime ? runtime.opts.hosts.length : DEFAULT_NODES);
    const runId = newRunId();
    const logDir = path.resolve(argv['log-dir'] ?? path.join('store', 'clusters', runId));
    const names = Array.from({ length: count }, (_, i) => `n${i + 1}`);
    out(`starting ${count} nodes on ${runtime.name} (run ${runId})`);
    const cluster = await runtime.start({ runId, nodes: names, logDir });
    const uninstall = installSignalTeardown(cluster);
    try {
      const adapter = argv.db === 'none' ? undefined : BUNDLED_ADAPTERS[argv.db];
      const db = adapter?.db({ bugs: [], readConsistency: defaultReadConsistency(adapter) });
      if (db) {
        out(`starting ${db.name}`);
        await db.setup(cluster, {});
      }
      const state: ClusterState = {
        runId,
        runtime: runtime.name,
        db: argv.db,
        logDir,
        createdAt: new Date().toISOString(),
        nodes: cluster.nodes.map((n) => ({
          name: n.name,
          address: n.address,
          ...(db ? { endpoint: db.clientEndpoint(n) } : {}),
        })),
        ...(ssh ? { ssh } : {}),
      };
      await writeClusterState(state);
      out(describeState(state));
      for (const reason of cluster.capabilities.reasons) out(`note: ${reason}`);
      out(`stop it with: splitbrain cluster down --run ${runId}`);
    } catch (err) {
      await cluster.teardown();
      throw err;
    } finally {
      uninstall();
    }
    // Daemons are detached (local, ssh) or owned by the engine (docker); leave them running.
    process.exit(EXIT.valid);
  },
};

const status: CommandModule<object, object> = {
  command: 'status',
  describe: 'Show the clusters `cluster up` left running',
  builder: (y) => y.example('$0 cluster status', 'list running clusters, their nodes and endpoints'),
  handler: async () => {
    const states = await readClusterStates();
    if (states.length === 0) out('no cluster is up');
    for (const s of states) {
      out(describeState(s));
      out(`  ${await liveness(s)}`);
    }
  },
};

// What is still alive of a cluster: containers running (docker) or daemons running (local).
async function liveness(s: ClusterState): Promise<string> {
  if (s.runtime === 'docker') {
    const running = await new Docker()
      .listContainers({ filters: JSON.stringify({ label: [`${RUN_LABEL}=${s.runId}`] }) })
      .catch(() => []);
    return `${running.length} of ${s.nodes.length} containers running`;
  }
  if (s.runtime === 'ssh') return `on hosts listed in ${s.ssh?.hostsFile ?? '?'}`;
  return `${(await markedPids(s.runId)).length} daemon processes running`;
}

/**
 * The cluster `down` acts on: the one named, or the only one up. Undefined when there is none,
 * which `down` treats as done already; several up without `--run` is a usage error.
 */
async function pickState(run: string | undefined): Promise<ClusterState | undefined> {
  const states = await readClusterStates();
  if (run) return states.find((s) => s.runId === run);
  if (states.length > 1)
    throw new UsageError(
      `${states.length} clusters are up; name one with --run (${states.map((s) => s.runId).join(', ')})`,
    );
  return states[0];
}

const runOption = <T>(y: Argv<T>) => y.option('run', { type: 'string', describe: 'Run id (see cluster status)' });

const down: CommandModule<object, RunArgs> = {
  command: 'down',
  describe: 'Stop a cluster started by `cluster up` and remove everything it created',
  builder: (y) =>
    runOption(y)
      .example('$0 cluster down', 'stop the one cluster that is up (nothing to do when none is)')
      .example('$0 cluster down --run 3f9a1c2e', 'stop one of several'),
  handler: async (argv) => {
    const state = await pickState(argv.run);
    if (!state) {
      out(
        argv.run
          ? `no cluster with run id ${argv.run} is up; nothing to take down`
          : 'no cluster is up; nothing to take down',
      );
      return;
    }
    let removed: string[];
    if (state.runtime === 'docker') {
      const docker = new DockerRuntime();
      await docker.collectRunData(state.runId, state.logDir).catch(() => undefined);
      removed = await docker.clean(state.runId);
    } else if (state.runtime === 'ssh') {
      const ssh = await sshRuntimeOf(state.ssh ?? {});
      await ssh
        .collectRunLogs(
          state.runId,
          state.nodes.map((n) => n.name),
          state.logDir,
        )
        .catch(() => undefined);
      removed = await ssh.clean(state.runId);
    } else {
      removed = await new LocalRuntime().clean(state.runId);
    }
    for (const line of removed) out(`removed ${line}`);
    out(`run ${state.runId} is down; logs stay in ${state.logDir}`);
  },
};

const clean: CommandModule<object, CleanArgs> = {
  command: 'clean',
  describe:
    'Remove anything earlier runs left: containers, networks, namespaces, bridges, iptables rules, processes (--runtime ssh: on the --hosts-file hosts)',
  builder: (y) =>
    runOption(y)
      .option('runtime', { choices: ['ssh'] as const, describe: 'Clean remote hosts instead of this machine' })
      .options(SSH_OPTIONS)
      .example('$0 cluster clean --run 3f9a1c2e', 'sweep what one crashed run left')
      .example(
        '$0 cluster clean',
        "sweep every run's leftovers (also other users' runs on this machine)",
      ) as unknown as Argv<CleanArgs>,
  handler: async (argv) => {
    let removed: string[];
    if (argv.runtime === 'ssh') {
      const ssh = await sshRuntimeOf(sshFlags(argv));
      try {
        removed = await ssh.clean(argv.run);
      } catch (e) {
        process.stderr.write(`splitbrain: ${(e as Error).message}\n`);
        process.exit(EXIT.infrastructure);
      }
    } else {
      removed = await cleanAll(argv.run);
    }
    for (const line of removed) out(`removed ${line}`);
    out(removed.length === 0 ? 'nothing to clean' : `removed ${removed.length} things`);
  },
};

/** The `cluster` command and its subcommands. */
export const clusterCommand: CommandModule<object, object> = {
  command: 'cluster <command>',
  describe: 'Start, show, stop and clean up clusters by hand',
  builder: (y) => y.command(up).command(status).command(down).command(clean).demandCommand(1),
  handler: () => undefined,
};
