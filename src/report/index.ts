/**
 * The HTML report: one self-contained page per checked history that a person can read without
 * knowing the checker. It leads with the verdict, then draws the counterexample (shrunk first,
 * so the picture has the fewest ops that still prove the violation) as a timeline with one lane
 * per process, the linearization found before the failure, and the faults in force as bands;
 * the full history and, for real runs, throughput and latency plots are one click away.
 * Everything is inlined so a report opens from a CI artifact or an email with no network.
 */
export { writeReport } from './write-report.js';
export { startStoreServer } from './serve/store-server.js';
export { writeCheckReports } from './check-reports.js';
