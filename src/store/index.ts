/**
 * The store: every run gets its own folder, `<store>/<test-name>/<timestamp>/`, holding the
 * history appended as ops happen, results.json, splitbrain.log, node logs and the report, with a
 * `latest` link to the newest run of each test. Path helpers plus saves at fixed points.
 */
export { RUN_FILES, createRunDir, type RunDir } from './run-dir.js';
export { computeHistoryStats, summarizeCheck, type RunResults } from './results.js';
export { junitXml, junitXmlOf, type JunitCase } from './junit.js';
export { fileRunLog, type RunLog } from './run-log.js';
