import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, renderScenario, ScenarioEnv } from './scenario-env.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const rewrite = process.env['REWRITE'] === '1';

describe('raft core scenarios (testdata/*.txt)', () => {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const header = text
      .split('\n')
      .filter((_l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#') || x === ''))
      .join('\n');
    const title = header.split('\n')[0]?.replace(/^#\s*/, '') ?? file;
    it(`${file}: ${title}`, () => {
      const cases = parseScenario(text);
      const env = new ScenarioEnv();
      const outputs = cases.map((c) => env.handle(c));
      if (rewrite) {
        writeFileSync(join(dir, file), renderScenario(header, cases, outputs));
        return;
      }
      cases.forEach((c, i) => {
        expect(outputs[i] === '' ? 'ok' : outputs[i], `${file}:${c.line} ${c.cmd} ${c.args.join(' ')}`).toBe(
          c.expected,
        );
      });
    });
  }
});
