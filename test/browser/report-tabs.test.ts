/** Each tab of the report has its own URL anchor: opening report.html#history shows that tab. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/index.js';
import { staleReadHistory } from '../report/sample-history.js';

const CHROMIUM = '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'splitbrain-tabs-'));
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

describe.skipIf(!existsSync(CHROMIUM))('report tabs in headless Chromium', () => {
  it('open from the URL anchor, and clicking a tab puts its anchor in the URL', async () => {
    const { events, result } = staleReadHistory();
    const written = await writeReport(work, { result, events, command: 'x', recheck: null });
    const page = await browser!.newPage();
    await page.goto(pathToFileURL(written.path).href + '#history');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#history').isVisible()).toBe(true);
    expect(await page.locator('#counterexample').isVisible()).toBe(false);
    await page.click('nav.tabs button[data-tab="counterexample"]');
    expect(new URL(page.url()).hash).toBe('#counterexample');
    expect(await page.locator('#counterexample').isVisible()).toBe(true);
    await page.goBack();
    await page.waitForFunction(() => location.hash === '#history');
    expect(await page.locator('#history').isVisible()).toBe(true);
    await page.close();
  });

  it('draws per-operation throughput lines and p50/p95/p99 latency lines on the plots tab', async () => {
    const { events, result } = staleReadHistory();
    const written = await writeReport(join(work, 'plots'), {
      result,
      events,
      command: 'x',
      recheck: null,
      plots: true,
    });
    const page = await browser!.newPage();
    await page.goto(pathToFileURL(written.path).href + '#plots');
    await page.waitForSelector('body[data-ready="true"]');
    const legend = (await page.locator('#plots').textContent()) ?? '';
    for (const label of ['ok read', 'ok write', 'p50', 'p95', 'p99']) expect(legend).toContain(label);
    expect(await page.locator('#latency-quantile-plot canvas').count()).toBe(1);
    await page.close();
  });
});
