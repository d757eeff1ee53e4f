import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStoreServer } from '../../../src/report/index.js';
import { listRuns } from '../../../src/report/serve/list-runs.js';
import { type StartedStoreServer } from '../../../src/report/serve/store-server.js';

const base = mkdtempSync(join(tmpdir(), 'splitbrain-serve-'));
const store = join(base, 'store');
let server: StartedStoreServer;

/** GETs a raw path (not normalized by a URL parser, so `..` reaches the server as sent). */
function get(path: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', fail);
    req.end();
  });
}

function run(test: string, ts: string, results: object | string | null, report = true): void {
  const dir = join(store, test, ts);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'history.jsonl'), '{"type":"invoke","process":0,"f":"read","time":0}\n');
  if (results !== null)
    writeFileSync(join(dir, 'results.json'), typeof results === 'string' ? results : JSON.stringify(results));
  if (report) writeFileSync(join(dir, 'report.html'), `<!doctype html><title>${test}</title>`);
}

beforeAll(async () => {
  run('register-partition', '20261122T100000.000Z', {
    valid: true,
    startedAt: '2026-11-22T10:00:00.000Z',
    stats: { ops: 120 },
  });
  run('register-partition', '20261122T120000.000Z', {
    valid: false,
    startedAt: '2026-11-22T12:00:00.000Z',
    stats: { ops: 90 },
  });
  run('<i>kv"&', '20261122T110000.000Z', '{"valid": tru', false);
  run('etcd-kill', '20261122T130000.000Z', null, false);
  symlinkSync('20261122T120000.000Z', join(store, 'register-partition', 'latest'));
  writeFileSync(join(base, 'secret.txt'), 'outside the store');
  symlinkSync(join(base, 'secret.txt'), join(store, 'register-partition', '20261122T100000.000Z', 'escape.txt'));
  server = await startStoreServer({ store, port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('splitbrain serve', () => {
  it('lists every run once, newest first, with its verdict (crashed when results.json is torn, running when absent)', () => {
    const runs = listRuns(store);
    expect(runs.map((r) => [r.test, r.verdict])).toEqual([
      ['etcd-kill', 'running'],
      ['register-partition', 'invalid'],
      ['<i>kv"&', 'crashed'],
      ['register-partition', 'valid'],
    ]);
    expect(runs[1]!.report).toBe('register-partition/20261122T120000.000Z/report.html');
  });

  it('binds to 127.0.0.1 by default and serves an escaped index linking to each report', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('href="/register-partition/20261122T120000.000Z/report.html"');
    expect(index.body).toContain('&lt;i&gt;kv&quot;&amp;');
    expect(index.body).not.toContain('<i>kv"&');
    const report = await get('/register-partition/20261122T120000.000Z/report.html');
    expect(report).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
  });

  it('never serves a file outside the store, whether by .., encoded dots or a link', async () => {
    for (const path of [
      '/../secret.txt',
      '/register-partition/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/register-partition/20261122T100000.000Z/escape.txt',
      '/..%5csecret.txt',
    ]) {
      const res = await get(path);
      expect(res.status, path).not.toBe(200);
      expect(res.body, path).not.toContain('outside the store');
    }
  });
});
