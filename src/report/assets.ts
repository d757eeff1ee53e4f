import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scripts and styles a report inlines, read once per process. */
export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
  reportJs: string;
  reportCss: string;
}

let cached: ReportAssets | undefined;

/**
 * Reads the page script and stylesheet (src/report/assets/) and uPlot's bundle from
 * node_modules, so the report can inline them and open without any network access. The assets
 * are plain files next to this module's source; from compiled dist/ they are found by walking
 * back to the source tree, since tsc copies only TypeScript.
 */
export function loadReportAssets(): ReportAssets {
  if (cached) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'assets'), join(here, '..', '..', '..', 'src', 'report', 'assets')];
  const dir = candidates.find((d) => existsSync(join(d, 'report.js')));
  if (!dir) throw new Error(`report assets not found in ${candidates.join(' or ')}`);
  const require = createRequire(import.meta.url);
  cached = {
    uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    reportJs: readFileSync(join(dir, 'report.js'), 'utf8'),
    reportCss: readFileSync(join(dir, 'report.css'), 'utf8'),
  };
  return cached;
}
