// What an operator relies on: readiness that tells the balancer the truth (503 when the
// database is gone or hangs), Prometheus metrics per server with an access rule, JSON logs
// with request ids that never carry a token, a password or a code, and headers on every
// answer that keep API bodies out of caches and sniffers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dmsRoutes, type RouteDef } from '../../../common/dms';
import { buildServer } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { openDb, type Db } from '../../../server/db';
import { READY_DB_TIMEOUT_MS } from '../../../server/ops';
import { createTestDatabase } from '../../helpers/postgres';
import { startTestServer, type TestDbKind, type TestServer } from '../../helpers/server';

async function openTestDb(kind: TestDbKind): Promise<Db> {
  return kind === 'pglite' ? openDb({ dataDir: 'memory://' }) : openDb({ databaseUrl: await createTestDatabase(inject('postgresUrl')), dataDir: '' });
}

function tempConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-ops-'));
  return { dir, config: loadConfig({ 'data-dir': dir, port: '0' }, {}) };
}

/** The value of one sample line of the exposition text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (match && match[1] === name && wanted.every((pair) => match[2].split(',').includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe.each<TestDbKind>(['pglite', 'postgres'])('readiness on %s', (kind) => {
  it('answers 503 unavailable once the database under a running server is closed', async () => {
    const { dir, config } = tempConfig();
    const db = await openTestDb(kind);
    const { app, closeAll } = await buildServer(config, { db, logger: false });
    try {
      const before = await app.inject({ method: 'GET', url: '/readyz' });
      expect(before.statusCode).toBe(200);
      expect(before.json()).toMatchObject({ status: 'ready', database: kind });

      await db.close();
      const after = await app.inject({ method: 'GET', url: '/readyz' });
      expect(after.statusCode).toBe(503);
      expect(after.json().error.code).toBe('unavailable');
      // Liveness is about the process, which is fine.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readiness with a database that hangs', () => {
  it('answers 503 after the readiness timeout instead of hanging the balancer\'s probe', async () => {
    const { dir, config } = tempConfig();
    const db = await openDb({ dataDir: 'memory://' });
    let hang = false;
    const hanging = new Proxy(db, {
      get(target, key) {
        if (key === 'query' && hang) return () => new Promise(() => {});
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { app, closeAll } = await buildServer(config, { db: hanging, logger: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      hang = true;
      const started = Date.now();
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'unavailable', message: 'The database does not answer.' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(READY_DB_TIMEOUT_MS - 50);
    } finally {
      hang = false;
      await closeAll();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('metrics', () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    [one, two] = await Promise.all([startTestServer('pglite'), startTestServer('pglite', { metricsToken: 'scrape-secret-7f3a' })]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  it('counts requests by route name, method and status, separately for each server in the process', async () => {
    for (let i = 0; i < 3; i++) await one.call('GET', '/healthz');
    await one.call('GET', '/v1/nothing-here');
    await two.call('GET', '/healthz');

    const res = await one.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body as string;
    expect(sample(text, 'lemari_http_requests_total', { route: 'ops.health', method: 'GET', status: '200' })).toBe(3);
    expect(sample(text, 'lemari_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(sample(text, 'lemari_http_request_duration_seconds_count', { route: 'ops.health', method: 'GET', status: '200' })).toBe(3);
    // The process's own metrics are there too, once.
    expect(text.match(/^process_cpu_user_seconds_total /gm)).toHaveLength(1);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);

    const other = await two.call('GET', '/metrics', { headers: { authorization: 'Bearer scrape-secret-7f3a' } });
    expect(sample(other.body, 'lemari_http_requests_total', { route: 'ops.health', method: 'GET', status: '200' })).toBe(1);
  });

  it('lets a feature add its own counter through deps.metrics', async () => {
    const counter = one.deps.metrics.counter('lemari_test_widgets_total', 'Widgets made by the test.', ['kind']);
    counter.inc({ kind: 'round' }, 2);
    expect(one.deps.metrics.counter('lemari_test_widgets_total', 'Widgets made by the test.', ['kind'])).toBe(counter);
    const text = (await one.call('GET', '/metrics')).body as string;
    expect(sample(text, 'lemari_test_widgets_total', { kind: 'round' })).toBe(2);
    expect(() => one.deps.metrics.gauge('widgets', 'no prefix')).toThrow(/lemari_/);
  });

  it('without METRICS_TOKEN, answers only direct connections from this host', async () => {
    expect((await one.call('GET', '/metrics')).status).toBe(200);
    for (const header of ['x-forwarded-for', 'x-real-ip', 'forwarded']) {
      const proxied = await one.call('GET', '/metrics', { headers: { [header]: '203.0.113.9' } });
      expect(proxied.status, header).toBe(403);
      expect(proxied.body.error.code).toBe('forbidden');
    }
  });

  it('with METRICS_TOKEN, needs that bearer token', async () => {
    expect((await two.call('GET', '/metrics')).body.error.code).toBe('unauthenticated');
    expect((await two.call('GET', '/metrics', { token: 'scrape-secret-7f3b' })).status).toBe(401);
    const ok = await two.call('GET', '/metrics', { token: 'scrape-secret-7f3a', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(ok.status).toBe(200);
  });
});

describe('logs', () => {
  const TOKEN = 'eyJsZWFrIjoidG9rZW4ifQ.c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ';
  const PASSWORD = 'Kuda-Lumping-Merah-2026!';
  const CODE = '918273';
  const lines: Record<string, unknown>[] = [];
  let url: string;
  let close: () => Promise<void>;
  let db: Db;
  let dir: string;

  beforeAll(async () => {
    ({ dir } = tempConfig());
    const config = loadConfig({ 'data-dir': dir, port: '0' }, {});
    db = await openDb({ dataDir: 'memory://' });
    const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
    const built = await buildServer(config, { db, logger: { level: 'trace', stream } });
    // A careless handler that logs whole requests: what redaction exists for.
    built.app.addHook('preHandler', async (request) => {
      request.log.info({ headers: request.headers, body: request.body, query: request.query }, 'request dump');
    });
    url = await built.app.listen({ host: '127.0.0.1', port: 0 });
    close = built.closeAll;
  });
  afterAll(async () => {
    await close?.();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never carry the bearer token, cookies, a password or a code, even when a handler logs the whole request', async () => {
    const [name, def] = (Object.entries(dmsRoutes) as [string, RouteDef][]).find(([, route]) => route.body && route.method === 'POST')!;
    const path = def.path.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
    const res = await fetch(`${url}${path}?token=${TOKEN}&limit=5`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, cookie: `session=${TOKEN}`, 'content-type': 'application/json', 'x-request-id': 'wk-7.log-test' },
      body: JSON.stringify({ nip: '198503152010012003', password: PASSWORD, newPassword: PASSWORD, code: CODE, totp: CODE, refreshToken: TOKEN }),
    });
    await res.text();
    const text = lines.map((line) => JSON.stringify(line)).join('\n');
    const dump = lines.find((line) => line.msg === 'request dump');
    expect(dump, `${name} should reach its preHandler`).toBeDefined();
    expect((dump as { body: { nip: string } }).body.nip).toBe('198503152010012003');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(CODE);
    // The request line is there, with the secret query value replaced and the rest kept.
    const incoming = lines.find((line) => line.msg === 'incoming request' && line.reqId === 'wk-7.log-test') as { req: { url: string } };
    expect(incoming.req.url).toBe(`${path}?token=[Redacted]&limit=5`);
  });

  it('are JSON lines tied to a request id that the answer returns, the caller\'s when it is plain', async () => {
    const given = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'wk-7.abc:123' } });
    expect(given.headers.get('x-request-id')).toBe('wk-7.abc:123');
    const completed = lines.find((line) => line.msg === 'request completed' && line.reqId === 'wk-7.abc:123') as { res: { statusCode: number } };
    expect(completed.res.statusCode).toBe(200);

    const forged = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'a b"} {"level":60' } });
    const fresh = forged.headers.get('x-request-id');
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.some((line) => line.reqId === fresh)).toBe(true);
  });
});

describe('answer headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.close());

  it('keep every JSON answer, success or error, out of caches and content sniffing', async () => {
    for (const [method, path, status] of [
      ['GET', '/healthz', 200],
      ['GET', '/v1/openapi.json', 200],
      ['GET', '/v1/nothing-here', 404],
      ['POST', '/v1/nothing-here', 404],
    ] as const) {
      const res = await server.call(method, path, method === 'POST' ? { body: {} } : {});
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-request-id'), path).toBeTruthy();
    }
  });
});
