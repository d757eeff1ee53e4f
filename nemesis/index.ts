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
export { FAULTS, FAULT_FS, classifyF, parseNemesisOption, type FaultName, type NemesisRequest } from './faults.js';
export {
  PARTITION_KINDS,
  bisect,
  bridgeGrudge,
  completeGrudge,
  computeGrudge,
  computeHeard,
  describeGrudge,
  hears,
  isolateGrudge,
  majoritiesRingGrudge,
  majority,
  type Grudge,
  type PartitionKind,
} from './grudge.js';
export { TARGET_KINDS, computeTargets, type TargetKind, type TargetPlan } from './targets.js';
export {
  OWNED_CHAINS,
  PACKET_CHAIN,
  PARTITION_CHAIN,
  computePacketLossRules,
  computePartitionRules,
  renderApplyScript,
  renderHealScript,
  type IptablesRule,
  type NodeRules,
} from './iptables.js';
export {
  DEFAULT_INTERVAL_S,
  HOLD_S,
  KILL_ALL_AT_S,
  computeCoverageSeconds,
  createFinalHeal,
  createSchedule,
  planSchedule,
  type ScheduleOptions,
} from './schedule.js';
export {
  composeNemesis,
  noopNemesis,
  validateNemesis,
  type CompletedNemesisOp,
  type Nemesis,
  type NemesisOp,
  type NemesisValue,
} from './nemesis.js';
export { createPartitionNemesis, type PartitionPlan } from './partition-nemesis.js';
export { createPacketNemesis, type PacketLossPlan } from './packet-nemesis.js';
export { createPacketDelayNemesis, type PacketDelayPlan } from './packet-delay-nemesis.js';
export { createKillNemesis } from './kill-nemesis.js';
export { createPauseNemesis } from './pause-nemesis.js';
export { createClockNemesis, describeClockEffect, type BumpPlan, type StrobePlan } from './clock-nemesis.js';
export { sweepChain } from './iptables-chain.js';
export { findLeader, watchLeader, type LeaderWatch } from './leader.js';
export {
  checkNemesisCapabilities,
  describeSkippedFaults,
  type NemesisCapabilities,
  type SkippedFault,
} from './capabilities.js';
export {
  composeNemesisPackage,
  nemesisPackage,
  type ComposedNemesisPackage,
  type ComposeNemesisOptions,
  type NemesisPackage,
  type NemesisPackageOptions,
  type NemesisReport,
  type OpenNemesisPackage,
} from './package.js';
export { nemesisClient, toCompletion } from './nemesis-client.js';
export {
  assertNemesisBit,
  computeFaultWindows,
  countClientErrorsInWindows,
  countLeaderChangesInWindows,
  summarizeNemesis,
  type FaultSummary,
  type FaultWindow,
  type LeaderSample,
  type NemesisSummary,
} from './summary.js';
export { NemesisContractError, NemesisDidNotBiteError, NemesisHealError, NemesisUnavailableError } from './errors.js';
