/**
 * `npm run bench`: every benchmark section, run one after another, each printing its own numbers.
 * A section is a module exporting `run(): Promise<void>`; add yours to the list.
 */
const sections: { name: string; load: () => Promise<{ run: () => Promise<void> }> }[] = [
  { name: 'kv: raftkv vs etcd', load: () => import('./kv.js') },
  { name: 'harness: 100 client processes against local raftkv', load: () => import('./harness.js') },
  { name: 'report: write and open the HTML report of a 100,000-op history', load: () => import('./report.js') },
  { name: 'sim: seeded raftkv simulations per second', load: () => import('./sim.js') },
  {
    name: 'checker: Porcupine corpus beside Porcupine, time limits, a streamed 10,000,000-op kv history',
    load: () => import('./checker.js'),
  },
  {
    name: 'nemesis: partition apply/heal times in local namespaces, schedule speed',
    load: () => import('./nemesis.js'),
  },
  { name: 'maelstrom: relay latency per message, client ops/s through 5 relays', load: () => import('./maelstrom.js') },
  { name: 'runtime: node image, 5-node start, kill + restart, teardown', load: () => import('./runtime.js') },
];

for (const section of sections) {
  console.log(`\n== ${section.name} ==`);
  const mod = await section.load();
  await mod.run();
}
