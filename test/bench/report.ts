/**
 * Report bench: how long writing the HTML report of a 100,000-op history takes (minimization
 * included), how big it is, and how long headless Chromium takes to open it until the page
 * script has drawn (three runs each; the budget is 20 MB and 3 s to open).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeReport } from '../../src/report/index.js';
import { largeHistory } from '../report/large-history.js';

const CHROMIUM = '/usr/bin/chromium';

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'splitbrain-bench-report-'));
  try {
    const { events, result } = largeHistory(100_000);
    const writes: number[] = [];
    let path = '';
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const written = await writeReport(join(dir, `r${i}`), { result, events, command: 'bench' });
      writes.push(performance.now() - started);
      path = written.path;
      bytes = written.bytes;
    }
    console.log(
      `write 100,000-op report: ${median(writes).toFixed(0)} ms median of 3; ${(bytes / 2 ** 20).toFixed(1)} MB`,
    );
    if (!existsSync(CHROMIUM)) {
      console.log(`open: skipped (${CHROMIUM} not installed)`);
      return;
    }
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
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
    });
    try {
      const opens: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(pathToFileURL(path).href);
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
        opens.push(performance.now() - started);
        await page.close();
      }
      console.log(
        `open in headless Chromium until drawn: ${median(opens).toFixed(0)} ms median of 3 (${opens.map((t) => t.toFixed(0)).join(', ')})`,
      );
    } finally {
      await context.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
