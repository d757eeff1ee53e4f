/**
 * splitbrain's tests for this project: `npx splitbrain test` runs them all, `--test NAME` one;
 * flags override what is written here (e.g. `--time-limit 20`). Each key is a `test` flag,
 * camelCased; `npx splitbrain test --help` lists them.
 */
import { defineConfig } from 'splitbrain';

export default defineConfig({
  tests: {
    'sample-kv': {
      // YOUR SYSTEM: the adapter module (relative to this file).
      db: './splitbrain/adapter.mts',
      // local: each node a process in its own network namespace (as root), else on loopback.
      runtime: 'local',
      nodes: 3,
      workload: 'kv',
      nemesis: 'partition,kill,pause',
      timeLimit: 30,
    },
  },
});
