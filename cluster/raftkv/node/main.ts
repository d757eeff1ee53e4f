/**
 * The raftkv node process entry (compiled to dist/cluster/raftkv/node/main.js):
 *
 *   node dist/cluster/raftkv/node/main.js --id n1 --peers n1=HOST:PORT,n2=HOST:PORT,n3=HOST:PORT \
 *        --client-port P --data-dir DIR [--bug NAME ...]
 *
 * See cluster/raftkv/README.md for every option and the client HTTP API. Uses only Node
 * built-ins so it runs from dist/ alone.
 */
import { ArgsError, parseNodeArgs } from './args.js';
import { RaftKvNode } from './node.js';

let args;
try {
  args = parseNodeArgs(process.argv.slice(2));
} catch (e) {
  if (e instanceof ArgsError) {
    process.stderr.write(`raftkv: ${e.message}\n`);
    process.exit(64);
  }
  throw e;
}
const node = new RaftKvNode(args);
try {
  await node.start();
} catch (e) {
  process.stderr.write(`raftkv ${args.id}: failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    void node.stop().finally(() => process.exit(0));
  });
}
