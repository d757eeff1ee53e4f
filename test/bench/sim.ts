/**
 * Simulator speed: how long `splitbrain sim` takes per seeded run (simulation plus the
 * linearizability check), clean and with a bug, so a 1000-seed sweep's cost is known.
 */
import { runSeeds } from '../../cluster/raftkv/sim/index.js';
import { linearizabilityJudge } from '../../src/sim/index.js';

/** Runs 200 clean seeds and prints wall and CPU time per run. */
export async function run(): Promise<void> {
  const seeds = 200;
  const cpu0 = process.cpuUsage();
  const summary = runSeeds({ seeds, start: 1, judge: linearizabilityJudge() });
  const cpu = process.cpuUsage(cpu0);
  const perRun = summary.ms / summary.runs;
  console.log(
    `sim clean: ${summary.runs} runs, ${summary.valid} valid, ${summary.ops} client ops, ` +
      `${(summary.ms / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s cpu, ${perRun.toFixed(1)} ms/run`,
  );
  const cpuPerRun = (cpu.user + cpu.system) / 1000 / summary.runs;
  // Wall time depends on what else the machine runs; CPU time is what the sweep itself costs.
  console.log(
    `sim: projected 1000-seed sweep ${perRun.toFixed(0)} s wall at this load, ${cpuPerRun.toFixed(0)} s of cpu`,
  );
  await Promise.resolve();
}
