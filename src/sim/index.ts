/**
 * The toolkit's side of `splitbrain sim`: raftkv's deterministic simulator produces histories,
 * and the judge here checks them for linearizability.
 */
export { linearizabilityJudge } from './linearizability-judge.js';
