// The browser benchmarks' baseline server: the least a local web app can be. Plain node:http
// serving the files of --dir, plus GET /q?text= answering from DIR/hits.json, so "first
// query returns results" has a floor too. Prints `Static: http://127.0.0.1:PORT/` like the
// browser host prints its address. Plain .mjs on purpose: it starts the way out/main/web.js does.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string', default: '0' } } });
const dir = values.dir;
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.jpg': 'image/jpeg', '.json': 'application/json' };
let hits = null;

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  try {
    if (url.pathname === '/q') {
      hits ??= JSON.parse(await readFile(join(dir, 'hits.json'), 'utf8'));
      const text = (url.searchParams.get('text') ?? '').toLowerCase();
      const body = JSON.stringify(hits.filter((hit) => JSON.stringify(hit).toLowerCase().includes(text)).slice(0, 100));
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(body);
      return;
    }
    const path = normalize(url.pathname === '/' ? '/index.html' : url.pathname);
    const body = await readFile(join(dir, path));
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`Static: http://127.0.0.1:${server.address().port}/\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
