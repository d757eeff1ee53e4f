/**
 * The report and `splitbrain serve` in a real browser: headless Debian Chromium driven by
 * playwright-core (never a downloaded browser). Screenshots land in test-artifacts/report/ for a
 * person to look at; open times are printed, not asserted tightly.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { FAULTS } from '../../nemesis/index.js';
import { FAULT_FS } from '../../nemesis/faults.js';
import { parsePorcupineEtcd } from '../../src/history/importers/index.js';
import { type HistoryEvent } from '../../src/history/index.js';
import { startStoreServer, writeReport } from '../../src/report/index.js';
import { largeHistory } from '../report/large-history.js';
import { staleReadHistory } from '../report/sample-history.js';

const CHROMIUM = '/usr/bin/chromium';
const REPO = resolve(import.meta.dirname, '..', '..');
const ETCD_000 = resolve(REPO, '..', 'shared', 'histories', 'porcupine', 'jepsen', 'etcd_000.log');
const ETCD_100 = resolve(REPO, '..', 'shared', 'histories', 'porcupine', 'jepsen', 'etcd_100.log');
const ARTIFACTS = join(REPO, 'test-artifacts', 'report');

const work = mkdtempSync(join(tmpdir(), 'splitbrain-browser-'));
let context: BrowserContext | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM)) return;
  // A fresh profile each run: no state leaks between runs, nothing is fetched at start-up.
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1366, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens a page that records script errors, dialogs and any request that leaves file:// or loopback. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await context!.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!/^(file:|data:|about:|http:\/\/127\.0\.0\.1)/.test(r.url())) problems.push(`network request: ${r.url()}`);
  });
  return { page, problems };
}

/** Loads a report and returns how long it took until the page script finished drawing (ms). */
async function openReport(page: Page, path: string): Promise<number> {
  const started = Date.now();
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return Date.now() - started;
}

describe.skipIf(!existsSync(CHROMIUM))('the report in headless Chromium', () => {
  it.skipIf(!existsSync(ETCD_000))(
    "highlights the op of Porcupine's etcd_000 log that cannot be linearized and shows its data on hover",
    async () => {
      const { events } = parsePorcupineEtcd(readFileSync(ETCD_000, 'utf8'), 'etcd_000.log');
      const result = await check(events, { model: 'cas-register', file: 'etcd_000.log' });
      expect(result.valid).toBe(false);
      const written = await writeReport(join(work, 'etcd_000'), {
        result,
        events,
        command: 'splitbrain check --format porcupine-etcd --model cas-register etcd_000.log',
        title: 'etcd_000.log',
      });
      const { page, problems } = await openPage();
      const ms = await openReport(page, written.path);
      console.log(
        `etcd_000 report: ${written.bytes} bytes, opened in ${ms} ms; counterexample shrunk from ` +
          `${written.minimized?.from} to ${written.minimized?.to} ops in ${written.minimized?.checks} re-checks`,
      );

      const failed = page.locator('#counterexample [data-failed="true"]');
      await expect.poll(() => failed.count()).toBe(1);
      await failed.hover();
      const tooltip = page.locator('#tooltip');
      await expect.poll(() => tooltip.isVisible()).toBe(true);
      const text = (await tooltip.textContent()) ?? '';
      const failedId = Number(await failed.getAttribute('data-op'));
      expect(text).toContain('CANNOT BE LINEARIZED');
      expect(text).toContain(`op ${failedId}`);
      expect(text).toContain('"invokeIndex"');
      expect(text).toContain('"type": "invoke"');
      // The checker's explainer describes the minimized picture, naming the failed op by its position in the log.
      expect(await page.locator('#explanation').textContent()).toContain(`(op ${failedId}, process `);
      expect(await page.locator('#counterexample .lin-point').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, 'etcd_000-hover.png'), fullPage: true });
      await page.mouse.move(0, 0);
      await expect.poll(() => tooltip.isVisible()).toBe(false);
      await page.screenshot({ path: join(ARTIFACTS, 'etcd_000-counterexample.png'), fullPage: true });

      // The full history of the key is one click away.
      await page.click('#counterexample button[data-view="full"]');
      expect(await page.locator('#counterexample g.op').count()).toBe(result.counterexample!.ops.length);
      await page.screenshot({ path: join(ARTIFACTS, 'etcd_000-all-ops.png'), fullPage: true });
      await page.click('nav.tabs button[data-tab="history"]');
      expect(await page.locator('#history-table tr.failed').count()).toBe(1);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('runs none of the script or markup hidden in history values', async () => {
    const evil = `</script><script>window.pwned=1;alert("x")</script><img src=x onerror="window.pwned=2">"'&`;
    const { events } = staleReadHistory(evil);
    const result = await check(events, { model: 'register' });
    expect(result.valid).toBe(false);
    const written = await writeReport(join(work, 'hostile'), {
      result,
      events,
      command: `splitbrain check '${evil}'`,
      title: evil,
      runInfo: { note: evil },
      plots: true,
    });
    const { page, problems } = await openPage();
    await openReport(page, written.path);
    expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(3);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toContain(evil);
    await page.click('nav.tabs button[data-tab="history"]');
    expect(await page.locator('#history-table').textContent()).toContain(evil);
    await page.fill('#pager input[type="search"]', 'pwned');
    expect(await page.locator('#history-table tr').count()).toBe(2);
    await page.click('nav.tabs button[data-tab="counterexample"]');
    await page.click('#counterexample button[data-view="full"]');
    await page.locator('#counterexample g.op.info').first().hover();
    expect(await page.locator('#tooltip').textContent()).toContain('pwned');
    expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    await page.screenshot({ path: join(ARTIFACTS, 'hostile-values.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it.skipIf(!existsSync(ETCD_100))('shows no counterexample for a valid history', async () => {
    const { events } = parsePorcupineEtcd(readFileSync(ETCD_100, 'utf8'), 'etcd_100.log');
    const result = await check(events, { model: 'cas-register', file: 'etcd_100.log' });
    expect(result.valid).toBe(true);
    const written = await writeReport(join(work, 'etcd_100'), {
      result,
      events,
      command: 'splitbrain check etcd_100.log',
    });
    const { page, problems } = await openPage();
    await openReport(page, written.path);
    expect(await page.locator('#counterexample').count()).toBe(0);
    expect(await page.locator('[data-failed="true"]').count()).toBe(0);
    expect(await page.locator('#verdict').textContent()).toBe('Linearizable');
    expect(await page.locator('#history-table tr').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(ARTIFACTS, 'etcd_100-valid.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shades every fault kind the nemesis can inject on the timeline and the plots, each with a legend entry', async () => {
    const ms = 1_000_000;
    const fault = (type: HistoryEvent['type'], f: string, time: number): HistoryEvent => ({
      type,
      process: 'nemesis',
      f,
      time,
    });
    const faults = FAULTS.flatMap((kind, i) => [
      fault('invoke', FAULT_FS[kind].start[0]!, 4 * ms + i * 100),
      fault('info', FAULT_FS[kind].start[0]!, 4 * ms + i * 100 + 50),
      fault('invoke', FAULT_FS[kind].stop, 12 * ms + i * 100),
      fault('info', FAULT_FS[kind].stop, 12 * ms + i * 100 + 50),
    ]);
    const events = [...staleReadHistory().events, ...faults]
      .sort((a, b) => a.time - b.time)
      .map((e, index) => ({ ...e, index }));
    const result = await check(events, { model: 'register' });
    const written = await writeReport(join(work, 'every-fault'), { result, events, command: 'splitbrain test' });
    const { page, problems } = await openPage();
    await openReport(page, written.path);
    for (const kind of FAULTS) {
      const band = page.locator(`#counterexample g.fault[data-fault="${kind}"] rect`).first();
      expect(await band.getAttribute('fill'), `${kind} band`).toMatch(/^rgba\(/);
      expect(
        await page.locator(`#counterexample .legend [data-fault="${kind}"]`).count(),
        `${kind} legend`,
      ).toBeGreaterThan(0);
    }
    await page.click('nav.tabs button[data-tab="plots"]');
    for (const kind of FAULTS) {
      expect(await page.locator(`#plots-note [data-fault="${kind}"]`).count(), `${kind} plot key`).toBe(1);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'every-fault.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the report of a 100,000-op run with faults and draws its plots', async () => {
    const { events, result } = largeHistory(100_000);
    const written = await writeReport(join(work, 'large'), {
      result,
      events,
      command: 'splitbrain test --time-limit 100',
      title: 'register-partition (synthetic 100,000 ops)',
      minimize: { budgetMs: 5000 },
    });
    const { page, problems } = await openPage();
    const ms = await openReport(page, written.path);
    console.log(
      `100,000-op report: ${(written.bytes / 1024 / 1024).toFixed(1)} MB, opened in ${ms} ms; ` +
        `minimized ${written.minimized?.from} -> ${written.minimized?.to} ops`,
    );
    expect(written.bytes).toBeLessThan(20 * 1024 * 1024);
    expect(ms).toBeLessThan(60_000);
    expect(await page.locator('#counterexample [data-failed="true"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'large-counterexample.png') });
    await page.click('nav.tabs button[data-tab="plots"]');
    // Throughput (with a line per operation), latency points, and latency quantile lines.
    await expect.poll(() => page.locator('#plots canvas').count()).toBe(3);
    await page.screenshot({ path: join(ARTIFACTS, 'large-plots.png'), fullPage: true });
    await page.click('nav.tabs button[data-tab="history"]');
    await page.click('#pager button:has-text("go to the failed op")');
    expect(await page.locator('#history-table tr.failed').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("lists runs in serve's index and follows a link to a run's report", async () => {
    const store = join(work, 'store');
    const runDir = join(store, 'register-partition', '20261122T140000.000Z');
    const { events } = staleReadHistory();
    const result = await check(events, { model: 'register' });
    await writeReport(runDir, {
      result,
      events,
      command: 'splitbrain test',
      fileName: 'report.html',
      files: ['history.jsonl', 'results.json'],
    });
    writeFileSync(join(runDir, 'history.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    writeFileSync(
      join(runDir, 'results.json'),
      JSON.stringify({
        name: 'register-partition',
        valid: false,
        startedAt: '2026-11-22T14:00:00.000Z',
        stats: { ops: 5 },
      }),
    );
    const validDir = join(store, 'kv-kill', '20261122T150000.000Z');
    mkdirSync(validDir, { recursive: true });
    writeFileSync(
      join(validDir, 'results.json'),
      JSON.stringify({ name: 'kv-kill', valid: true, startedAt: '2026-11-22T15:00:00.000Z', stats: { ops: 1200 } }),
    );

    await using server = await startStoreServer({ store, port: 0 });
    const { page, problems } = await openPage();
    await page.goto(server.url);
    const rows = page.locator('#runs tr.run');
    expect(await rows.count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'serve-index.png'), fullPage: true });
    expect(await rows.first().getAttribute('class')).toContain('valid');
    await page.fill('#filter', 'register');
    expect(await page.locator('#runs tr.run:visible').count()).toBe(1);
    await page.click('#runs tr.run:visible a.report');
    await page.waitForSelector('body[data-ready="true"]');
    expect(page.url()).toBe(`${server.url}register-partition/20261122T140000.000Z/report.html`);
    expect(await page.locator('#counterexample [data-failed="true"]').count()).toBe(1);
    await page.click('a[href="history.jsonl"]');
    expect(await page.locator('body').textContent()).toContain('"process":0');
    expect(problems).toEqual([]);
    await page.close();
  });
});
