// Bad input, generically, over the whole route table: every route that takes a body answers
// malformed JSON, an oversized body, another media type, a non-object, an unknown field
// (and a __proto__ key) with its own 4xx code in the API's error shape, an unknown route or
// method gets not_found, and none of it leaves a row behind. Route-specific checks (a bad
// NIP, a file name with a slash, a checksum that does not match) live with each feature.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmsRoutes, type DmsErrorCode, type RouteDef } from '../../../common/dms';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';

const BODY_LIMIT = 2048;

/** A value for each path parameter that the route's params schema accepts. */
function pathFor(def: RouteDef): string {
  const candidates = ['00000000-0000-4000-8000-000000000000', '0123456789abcdef0123456789abcdef', 'SK_PNS', '1', '199001012015031099'];
  return def.path.replace(/:(\w+)/g, (_, name: string) => {
    const ok = candidates.find((value) => !def.params || def.params.safeParse({ [name]: value }).success);
    return encodeURIComponent(ok ?? candidates[0]);
  });
}

const bodyRoutes = (Object.entries(dmsRoutes) as [string, RouteDef][]).filter(([, def]) => def.body);
const queryRoutes = (Object.entries(dmsRoutes) as [string, RouteDef][]).filter(([, def]) => def.query);

describe.each<TestDbKind>(['pglite', 'postgres'])('bad input on %s', (kind) => {
  let server: TestServer;
  let admin: SeededUser;
  let rowsBefore: Record<string, number>;

  /** Row counts of every table but the rate limiter's, which counts requests by design. */
  async function rowCounts(): Promise<Record<string, number>> {
    const { rows } = await server.deps.db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'rate_limits' order by table_name",
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of rows) {
      counts[table_name] = (await server.deps.db.query<{ n: number }>(`select count(*)::int as n from "${table_name}"`)).rows[0].n;
    }
    return counts;
  }

  /** Sends raw bytes as the body and checks the answer is `code` in the API's error shape. */
  async function expectError(name: string, def: RouteDef, init: { body?: BodyInit; headers?: Record<string, string>; query?: string }, code: DmsErrorCode, status: number) {
    const res = await fetch(`${server.url}${pathFor(def)}${init.query ?? ''}`, {
      method: def.method,
      headers: { ...admin.auth, ...init.headers },
      body: init.body,
      ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await res.text();
    const label = `${name} (${def.method} ${def.path}): ${res.status} ${text.slice(0, 200)}`;
    expect(res.status, label).toBe(status);
    expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control'), label).toBe('no-store');
    expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
    const body = JSON.parse(text);
    expect(body.error.code, label).toBe(code);
    expect(typeof body.error.message, label).toBe('string');
  }

  beforeAll(async () => {
    server = await startTestServer(kind, { bodyLimit: BODY_LIMIT });
    await server.instansi('A1');
    admin = await server.user({ instansiId: 'A1', nip: '198503152010012003', role: 'admin' });
    rowsBefore = await rowCounts();
  });
  afterAll(() => server?.close());

  it('has routes with bodies and queries to try', () => {
    expect(bodyRoutes.length).toBeGreaterThan(5);
    expect(queryRoutes.length).toBeGreaterThan(1);
  });

  it('answers malformed JSON with invalid_json on every route that takes a body', async () => {
    for (const [name, def] of bodyRoutes) {
      await expectError(name, def, { body: '{"nip": "1985', headers: { 'content-type': 'application/json' } }, 'invalid_json', 400);
      await expectError(name, def, { body: '', headers: { 'content-type': 'application/json', 'content-length': '0' } }, 'invalid_json', 400);
    }
  });

  it('answers a body over the limit with payload_too_large, declared or streamed', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(BODY_LIMIT) });
    for (const [name, def] of bodyRoutes) {
      await expectError(name, def, { body: big, headers: { 'content-type': 'application/json' } }, 'payload_too_large', 413);
      const stream = new ReadableStream({
        start(controller) {
          // No Content-Length: the limit is enforced while the bytes arrive.
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(big.slice(i * 1024, (i + 1) * 1024)));
          controller.enqueue(new TextEncoder().encode(big.slice(4096)));
          controller.close();
        },
      });
      await expectError(name, def, { body: stream, headers: { 'content-type': 'application/json' } }, 'payload_too_large', 413);
    }
  });

  it('answers another media type, or none, with unsupported_media_type', async () => {
    for (const [name, def] of bodyRoutes) {
      await expectError(name, def, { body: '{}', headers: { 'content-type': 'text/plain' } }, 'unsupported_media_type', 415);
      await expectError(name, def, { body: 'nip=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 'unsupported_media_type', 415);
      await expectError(name, def, { body: new Blob(['{}']) }, 'unsupported_media_type', 415);
    }
  });

  it('answers JSON that is not an object with invalid_input', async () => {
    for (const [name, def] of bodyRoutes) {
      for (const body of ['[]', '"text"', '42', 'null']) {
        await expectError(name, def, { body, headers: { 'content-type': 'application/json' } }, 'invalid_input', 400);
      }
    }
  });

  it('answers an unknown field with unknown_field, in a body and in a query', async () => {
    for (const [name, def] of bodyRoutes) {
      await expectError(name, def, { body: '{"zz_not_a_field": 1}', headers: { 'content-type': 'application/json' } }, 'unknown_field', 400);
    }
    for (const [name, def] of queryRoutes) {
      await expectError(name, def, { query: '?zz_not_a_field=1' }, 'unknown_field', 400);
    }
  });

  it('refuses a __proto__ key rather than parsing it into the body', async () => {
    for (const [name, def] of bodyRoutes) {
      await expectError(name, def, { body: '{"__proto__": {"role": "admin"}}', headers: { 'content-type': 'application/json' } }, 'invalid_json', 400);
    }
  });

  it('answers an unknown route or a method a route does not have with not_found', async () => {
    const unknown: [string, string][] = [
      ['GET', '/v1/nothing-here'],
      ['POST', '/v1/nothing-here'],
      ['PUT', '/v2/documents'],
      ['DELETE', '/healthz'],
      ['PATCH', '/v1/openapi.json'],
      ['GET', '/v1/documents/00000000-0000-4000-8000-000000000000/nothing'],
    ];
    for (const [method, path] of unknown) {
      await expectError(`${method} ${path}`, { method: method as RouteDef['method'], path, summary: '', tag: '', access: 'public', response: null }, {}, 'not_found', 404);
    }
  });

  it('left no row behind', async () => {
    expect(await rowCounts()).toEqual(rowsBefore);
  });
});
