// The sample system `splitbrain init` tests: a tiny key-value server, one process per node.
// It keeps every key in one JSON file that it fsyncs before answering a write, so a SIGKILL
// loses nothing it acknowledged. Replace it with your own system: only the adapter talks to it.
//
//   node sample-kv-server.mjs --host 10.0.0.1 --port 8100 --data /var/lib/node1
//
//   GET  /health              200 when serving
//   GET  /kv/KEY              {"value": V} (null when absent)
//   PUT  /kv/KEY   {"value"}  200 once durable
//   POST /kv/KEY/cas {"expected","new"}  200 when the value was `expected`, else 409
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
};
const host = arg('host');
const port = Number(arg('port'));
const dataDir = arg('data');
mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, 'sample-kv.json');
const store = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};

// Write to a temporary file, fsync it, then rename over the old one: never a torn store.
function persist() {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify(store));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/kv\/([^/]+)(\/cas)?$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/health') return reply(res, 200, { ok: true });
    if (!m) return reply(res, 404, { error: 'not found' });
    const key = decodeURIComponent(m[1]);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    if (req.method === 'GET' && !m[2]) return reply(res, 200, { value: store[key] ?? null });
    if (req.method === 'PUT' && !m[2]) {
      store[key] = body.value;
      persist();
      return reply(res, 200, {});
    }
    if (req.method === 'POST' && m[2]) {
      if ((store[key] ?? null) !== body.expected) return reply(res, 409, { error: 'cas-mismatch' });
      store[key] = body.new;
      persist();
      return reply(res, 200, {});
    }
    return reply(res, 405, { error: 'method not allowed' });
  });
});
server.listen(port, host, () => console.log(`sample-kv serving on ${host}:${port}`));
