/**
 * The store: every run gets its own folder, `<store>/<test-name>/<timestamp>/`, holding the
 * history appended as ops happen, results.json, splitbrain.log, node logs and the report, with a
 * `latest` link to the newest run of each test. Path helpers plus saves at fixed points.
 */
export { RUN_FILES, createRunDir, runDirPaths, runTimestamp, type RunDir } from './run-dir.js';
export { computeQuantiles, type Quantiles } from './quantiles.js';
export { computeHistoryStats, summarizeCheck, type HistoryStats, type RunResults, type TypeCounts } from './results.js';
export { junitXml, junitXmlOf, escapeXml, type JunitCase } from './junit.js';
export { fileRunLog, type RunLog } from './run-log.js';
