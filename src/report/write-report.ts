import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from '../../checker/index.js';
import type { HistoryEvent } from '../history/index.js';
import { loadReportAssets } from './assets.js';
import { recheckWithModel } from './checker-recheck.js';
import { minimizeCounterexample, type MinimizeOptions, type MinimizeResult, type RecheckFn } from './minimize.js';
import { messageDiagramFor } from './message-diagram.js';
import { renderReport } from './render-report.js';
import { buildReportData } from './report-data.js';

/** What a report is made from. Only `result`, `events` and `command` are required. */
export interface ReportInput {
  /** The check result (results.json, or what `check` returned). */
  result: CheckResult;
  /** The raw history, nemesis events included (they become the shaded fault bands). */
  events: readonly HistoryEvent[];
  /** The command line that produced the run, shown verbatim. */
  command: string;
  /** A heading, e.g. the test name; defaults to the history file name. */
  title?: string;
  /** Facts about the run (nodes, nemesis, seed, time limit, ...), shown in the summary. */
  runInfo?: Record<string, unknown>;
  /** Files next to the report to link to (e.g. `history.jsonl`, `results.json`), relative paths. */
  files?: string[];
  /**
   * Re-checks a candidate sub-history during minimization. The default re-runs the checker's
   * `check` with `result.model`; pass null to show the checker's counterexample as found.
   */
  recheck?: RecheckFn | null;
  /** Minimization bounds (total budget 5 s by default). */
  minimize?: MinimizeOptions;
  /** Force the throughput/latency plots on or off; by default they appear when events carry real times. */
  plots?: boolean;
  /** A run's messages.jsonl (`--record-messages`): the messages around the counterexample are drawn. */
  messagesFile?: string;
  /** Name of the file written in DIR (default `index.html`; the store's run folders use `report.html`). */
  fileName?: string;
}

/** Where a report was written and what went into it. */
export interface WrittenReport {
  /** Absolute or dir-relative path of index.html. */
  path: string;
  bytes: number;
  minimized: MinimizeResult | null;
}

/**
 * Writes `DIR/index.html` (or `DIR/<fileName>`), a self-contained report (every script and style inlined, no network
 * needed) of one checked history: summary, minimized counterexample timeline with fault bands,
 * the full history paginated, and throughput/latency plots for runs with real times.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<WrittenReport> {
  const html = await renderReportHtml(input);
  await mkdir(dir, { recursive: true });
  const path = join(dir, input.fileName ?? 'index.html');
  await writeFile(path, html.html);
  return { path, bytes: Buffer.byteLength(html.html), minimized: html.minimized };
}

/** Builds the report HTML in memory (what writeReport writes), with the minimization it used. */
export async function renderReportHtml(
  input: ReportInput,
): Promise<{ html: string; minimized: MinimizeResult | null }> {
  const cx = input.result.valid === false ? input.result.counterexample : undefined;
  let minimized: MinimizeResult | null = null;
  const recheck = input.recheck === undefined ? recheckWithModel(input.result.model) : input.recheck;
  if (cx && recheck)
    minimized = await minimizeCounterexample(cx, recheck, { model: input.result.model, ...input.minimize });
  const data = buildReportData(input.result, input.events, minimized, input.plots);
  const summary = {
    command: input.command,
    generatedAt: new Date(),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.runInfo !== undefined ? { runInfo: input.runInfo } : {}),
    ...(input.files !== undefined ? { files: input.files } : {}),
  };
  const messages =
    cx && input.messagesFile ? await messageDiagramFor(input.messagesFile, cx, minimized?.counterexample.ops) : '';
  return { html: renderReport(input.result, data, summary, loadReportAssets(), messages), minimized };
}
