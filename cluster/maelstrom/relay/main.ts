/**
 * The relay process: `node main.js '<RelayConfig as JSON>'`. Started by the maelstrom DB in each
 * node (its network namespace or container); it runs until the DB sends `shutdown`, or until a
 * signal, and never leaves its binary behind when it goes.
 */
import type { RelayConfig } from '../relay-wire.js';
import { Relay } from './relay.js';

const raw = process.argv[2];
if (raw === undefined) {
  process.stderr.write('usage: relay <config JSON>\n');
  process.exit(64);
}
const relay = new Relay(JSON.parse(raw) as RelayConfig);
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(sig, () => void relay.shutdown().finally(() => process.exit(0)));
}
try {
  await relay.listen();
} catch (e) {
  process.stderr.write(`[relay] cannot listen: ${(e as Error).message}\n`);
  process.exit(3);
}
process.stderr.write(`[relay] listening\n`);
