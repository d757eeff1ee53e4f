/**
 * The HTML report: one self-contained page per checked history that a person can read without
 * knowing the checker. It leads with the verdict, then draws the counterexample (shrunk first,
 * so the picture has the fewest ops that still prove the violation) as a timeline with one lane
 * per process, the linearization found before the failure, and the faults in force as bands;
 * the full history and, for real runs, throughput and latency plots are one click away.
 * Everything is inlined so a report opens from a CI artifact or an email with no network.
 */
export { writeReport, renderReportHtml, type ReportInput, type WrittenReport } from './write-report.js';
export { minimizeCounterexample, type RecheckFn, type MinimizeOptions, type MinimizeResult } from './minimize.js';
export { embedJson } from './embed-json.js';
export { startStoreServer, type StoreServerOptions, type StartedStoreServer } from './serve/store-server.js';
export { listRuns, type StoredRun } from './serve/list-runs.js';
export { writeCheckReports, type CheckedFile } from './check-reports.js';
