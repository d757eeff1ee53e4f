/**
 * The nemesis: real faults beside the clients. Partitions are iptables DROP rules in a chain
 * splitbrain owns in each node; kills and pauses are SIGKILL and SIGSTOP/SIGCONT sent through
 * the DB's capabilities; clock skew is a libfaketime offset per node; packet loss is the
 * iptables statistic match. Who-can't-hear-whom, targets and the seeded schedule are pure data
 * (grudge.ts, targets.ts, schedule.ts) applied by small nemeses with one protocol (setup /
 * invoke / teardown, as Jepsen's nemesis.clj); every action becomes a `process: "nemesis"`
 * history event saying what it did, and teardown always heals. summary.ts answers "did it
 * bite?" from the history afterwards.
 */
export { FAULTS, classifyF, parseNemesisOption, type FaultName, type NemesisRequest } from './faults.js';
export { describeSkippedFaults } from './capabilities.js';
export { nemesisPackage, type NemesisPackage, type NemesisPackageOptions, type OpenNemesisPackage } from './package.js';
export { nemesisClient } from './nemesis-client.js';
export { assertNemesisBit, countNemesisEvents } from './summary.js';
export { NemesisUnavailableError } from './errors.js';
