/**
 * One failing op, one name, everywhere: for Porcupine's etcd_000 log, a simulated stale-read run
 * and a Knossos bad history, the op the checker could not linearize is named the same (`op N`,
 * N its position in history.jsonl) by the CLI, results.json, the JUnit file and the first view
 * of the report in headless Chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory, type HistoryFormat } from '../../src/history/index.js';

const CHROMIUM = '/usr/bin/chromium';
const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist/src/cli/main.js');
const SHARED = resolve(REPO, '..', 'shared', 'histories');
const ETCD_000 = join(SHARED, 'porcupine', 'jepsen', 'etcd_000.log');
const KNOSSOS_BAD = join(SHARED, 'knossos', 'edn', 'cas-register', 'bad', 'rethink-fail-smaller.edn');

const work = mkdtempSync(join(tmpdir(), 'splitbrain-op-identity-'));
let browser: Browser | undefined;

beforeAll(async () => {
  if (existsSync(CHROMIUM))
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

function splitbrain(...args: string[]) {
  return execa('node', [CLI, ...args], { reject: false, timeout: 300_000 });
}

/** The first op a text names, as in `read -> 0 (op 63, process 6, ...)`. */
function firstOp(text: string): number | undefined {
  const m = /\(op (\d+)[,)]/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A store run folder holding `events` as its history.jsonl, as `splitbrain analyze` expects. */
function runFolder(name: string, lines: string[], model: string): string {
  const dir = join(work, 'store', name, 'run');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'history.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'test.json'), JSON.stringify({ model, seed: 7 }));
  return dir;
}

async function importedRun(name: string, file: string, format: HistoryFormat, model: string): Promise<string> {
  const history = await readHistory(file, format);
  return runFolder(
    name,
    history.events.map((e, i) => JSON.stringify({ ...e, index: i })),
    model,
  );
}

/** Analyzes a run folder and reads the failing op from every output. */
async function namesOfFailingOp(dir: string): Promise<Record<string, number | undefined>> {
  const junit = join(dir, 'junit.xml');
  const r = await splitbrain('analyze', dir, '--junit', junit);
  expect(r.exitCode, r.stderr).toBe(1);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    verdict: string;
    check: { counterexample: { failedOp: number; explanation: string } };
  };
  expect(results.verdict).toBe('invalid');
  const xml = readFileSync(junit, 'utf8');
  const failure = /<failure [^>]*message="([^"]*)"/.exec(xml)?.[1] ?? '';
  const names: Record<string, number | undefined> = {
    cli: firstOp(r.stdout),
    resultsFailedOp: results.check.counterexample.failedOp,
    resultsExplanation: firstOp(results.check.counterexample.explanation),
    junit: firstOp(failure),
  };
  expect(browser !== undefined || !existsSync(CHROMIUM), 'Chromium is installed but did not start').toBe(true);
  if (browser) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    // The first view: the counterexample tab, its headline, explanation and minimized timeline.
    expect(await page.locator('#counterexample').isVisible()).toBe(true);
    names.reportHeadline = Number((await page.locator('#failed-op').textContent())!.replace(/^op /, ''));
    names.reportExplanation = firstOp((await page.locator('#explanation').textContent()) ?? '');
    names.reportTimeline = Number(
      await page.locator('#timeline g.op[data-failed="true"]').first().getAttribute('data-op'),
    );
    await page.close();
  }
  return names;
}

function expectOneName(names: Record<string, number | undefined>): void {
  const ids = new Set(Object.values(names));
  expect(ids.size, JSON.stringify(names)).toBe(1);
  expect([...ids][0], JSON.stringify(names)).toBeTypeOf('number');
}

describe('the failing op has one name in the CLI, results.json, JUnit and the report', () => {
  it.skipIf(!existsSync(ETCD_000))("on Porcupine's etcd_000.log (skipped when ../shared is absent)", async () => {
    const dir = await importedRun('etcd-000', ETCD_000, 'porcupine-etcd', 'cas-register');
    const names = await namesOfFailingOp(dir);
    expectOneName(names);
    // `check` of the log itself names the same op: its position is the log's line number - 1.
    const check = await splitbrain('check', '--format', 'porcupine-etcd', ETCD_000);
    expect(/cannot linearize: op (\d+)/.exec(check.stdout)?.[1]).toBe(String(names.cli));
    const json = await splitbrain('check', '--format', 'porcupine-etcd', '--json', ETCD_000);
    expect(JSON.parse(json.stdout).counterexample.failedOp).toBe(names.cli);
  });

  it('on a stale-read run of the simulated raftkv cluster', async () => {
    const file = join(work, 'stale-read.jsonl');
    const sim = await splitbrain('sim', '--seeds', '20', '--bug', 'stale-read', '--history', file);
    expect(sim.exitCode, sim.stdout).toBe(1);
    const dir = runFolder('stale-read', readFileSync(file, 'utf8').trim().split('\n'), 'kv');
    expectOneName(await namesOfFailingOp(dir));
  });

  it.skipIf(!existsSync(KNOSSOS_BAD))('on a Knossos bad history (skipped when ../shared is absent)', async () => {
    const dir = await importedRun('knossos-bad', KNOSSOS_BAD, 'edn', 'cas-register');
    const names = await namesOfFailingOp(dir);
    expectOneName(names);
    const check = await splitbrain('check', '--format', 'edn', KNOSSOS_BAD);
    expect(/cannot linearize: op (\d+)/.exec(check.stdout)?.[1]).toBe(String(names.cli));
  });
});
