/**
 * The bundled adapters, by the name `--db` accepts. Each is written with splitbrain's public API
 * (src/index.ts), as a user's adapter is; nothing else in the CLI or the runner names them.
 */
import type { Adapter } from '../index.js';
import { etcdAdapter } from './etcd.js';
import type { FlagBuiltAdapter } from './flag-built-adapter.js';
import { maelstromFlagAdapter } from './maelstrom.js';
import { raftkvAdapter, raftkvFlagAdapter } from './raftkv.js';
import { zookeeperAdapter } from './zookeeper/index.js';

export { firstFlagGiven, type FlagBuiltRun } from './flag-built-adapter.js';

/** Bundled adapters by name; the first is the default `--db`. */
export const BUNDLED_ADAPTERS: Readonly<Record<string, Adapter>> = {
  raftkv: raftkvAdapter,
  etcd: etcdAdapter,
  zookeeper: zookeeperAdapter,
};

/**
 * Adapters built from their own flags: maelstrom (`--db maelstrom --bin PATH`, not in
 * BUNDLED_ADAPTERS), and raftkv, which a config file names too and whose flag tunes its nodes.
 */
export const FLAG_BUILT_ADAPTERS: readonly FlagBuiltAdapter[] = [raftkvFlagAdapter, maelstromFlagAdapter];

/** The default `--db`. */
export const DEFAULT_ADAPTER = 'raftkv';
