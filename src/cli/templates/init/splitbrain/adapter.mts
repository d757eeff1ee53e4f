/**
 * Your adapter: how splitbrain starts your system on each node (the DB) and talks to it (the
 * client). `splitbrain init` wrote it against a sample key-value server (sample-kv-server.mjs)
 * so the first run passes; the places to put your own system are marked YOUR SYSTEM.
 * Contracts of every method: node_modules/splitbrain/docs/adapters.md.
 */
import { fileURLToPath } from 'node:url';
import {
  DaemonDb,
  defineAdapter,
  indeterminate,
  probeJson,
  type AdapterClientOptions,
  type ClientOp,
  type ClientPool,
  type Completion,
  type DbOptions,
  type StartedCluster,
  type StartedNode,
} from 'splitbrain';

const SAMPLE_SERVER = fileURLToPath(new URL('./sample-kv-server.mjs', import.meta.url));

/**
 * The DB: one process per node. DaemonDb spawns `command()` on every node, waits until
 * `isServing()` says yes, and gives the nemesis kill/start (SIGKILL, restart from the node's data
 * directory) and pause/resume (SIGSTOP/SIGCONT).
 */
class SampleKvDb extends DaemonDb {
  constructor() {
    super({
      name: 'sample-kv',
      // YOUR SYSTEM: the port clients use, and the port nodes use among themselves (if any).
      clientPort: 8100,
      peerPort: 8101,
      serveTimeoutMs: 30_000,
      notServing: 'sample-kv did not answer /health on every node',
    });
  }

  protected override configure(options: DbOptions): void {
    if (options.bugs?.length) throw new Error('sample-kv has no injectable bugs');
  }

  /** YOUR SYSTEM: the command line that starts it on `node` (listen on node.address, keep data in node.dataDir). */
  protected override command(node: StartedNode): string[] {
    return [
      process.execPath,
      SAMPLE_SERVER,
      '--host',
      node.address,
      '--port',
      String(this.clientPort(node)),
      '--data',
      node.dataDir,
    ];
  }

  /** YOUR SYSTEM: true once the cluster serves (every node healthy, a leader elected...). */
  protected override async isServing(cluster: StartedCluster): Promise<boolean> {
    const answers = await Promise.all(cluster.nodes.map((n) => probeJson(`${this.clientEndpoint(n)}/health`, 1000)));
    return answers.every((a) => a?.status === 200);
  }
}

/**
 * The client: one op in, one completion out. `ok` when the op took effect; `fail` only when it
 * certainly did not (refused before it was sent, a failed cas, any read that got no answer);
 * `info` whenever it may have (a write that timed out), which `indeterminate` decides for you.
 */
function sampleKvClient({ endpoints, opTimeoutMs }: AdapterClientOptions): ClientPool {
  // The sample is a single server: every op goes to the first node and the others stand by.
  // YOUR SYSTEM: spread processes over the nodes, e.g. endpoints[process % endpoints.length].
  const server = endpoints[0]!;
  const invoke = async (op: ClientOp): Promise<Completion> => {
    const url = `${server.url}/kv/${encodeURIComponent(String(op.key ?? 'register'))}`;
    const request =
      op.f === 'read'
        ? { method: 'GET' }
        : op.f === 'write'
          ? { method: 'PUT', body: JSON.stringify({ value: op.value }) }
          : {
              method: 'POST',
              body: JSON.stringify({ expected: (op.value as unknown[])[0], new: (op.value as unknown[])[1] }),
            };
    let res: Response;
    try {
      res = await fetch(op.f === 'cas' ? `${url}/cas` : url, { ...request, signal: AbortSignal.timeout(opTimeoutMs) });
    } catch (e) {
      const code = (e as { cause?: { code?: string } }).cause?.code;
      // A refused connection never reached the server: the op certainly did not happen.
      if (code === 'ECONNREFUSED') return { type: 'fail', error: 'connection refused', node: server.node };
      return indeterminate(op, (e as Error).name === 'TimeoutError' ? 'timeout' : String(e), server.node);
    }
    const body = (await res.json().catch(() => ({}))) as { value?: unknown; error?: string };
    if (res.status === 200)
      return { type: 'ok', value: op.f === 'read' ? (body.value ?? null) : op.value, node: server.node };
    if (res.status === 409) return { type: 'fail', error: body.error ?? 'cas-mismatch', node: server.node };
    return indeterminate(op, body.error ?? `http ${res.status}`, server.node);
  };
  return { open: () => ({ invoke }), close: async () => undefined };
}

export default defineAdapter({
  name: 'sample-kv',
  // The workloads your client can run: kv (keyed read/write/cas), register, cas-register.
  workloads: ['kv', 'register', 'cas-register'],
  db: () => new SampleKvDb(),
  client: sampleKvClient,
});
