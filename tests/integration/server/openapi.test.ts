// The OpenAPI document is the API's published contract, so it must be complete (every route
// of the table, the tus endpoints, the error model), valid (every schema compiles as JSON
// Schema 2020-12 and every reference resolves), in sync with docs/openapi.json, and true:
// what the running server answers validates against what the document says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DMS_ERROR_CODES, dmsRoutes, type RouteDef } from '../../../common/dms';
import { DOCUMENT_SEND_BATCH } from '../../../common/dms/documents';
import { buildOpenApi, openApiJson } from '../../../server/http/openapi';
import { startTestServer, type SeededUser, type TestServer } from '../../helpers/server';
import { metadataHeader, sha256, TusClient } from '../../helpers/tus';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is plain JSON read by path
type Doc = any;

const ROOT = join(import.meta.dirname, '../../..');
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

const pointer = (...parts: string[]) => parts.map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
const pathOf = (def: RouteDef) => def.path.replace(/:(\w+)/g, '{$1}');

/** A validator for any schema of the document, found by its JSON pointer. */
function validators(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  const cache = new Map<string, ValidateFunction>();
  return (...parts: string[]): ValidateFunction => {
    const ref = `openapi#/${pointer(...parts)}`;
    if (!cache.has(ref)) cache.set(ref, ajv.compile({ $ref: ref }));
    return cache.get(ref)!;
  };
}

/** Every place in the document that holds a schema, as pointer parts. */
function schemaLocations(doc: Doc): string[][] {
  const found: string[][] = Object.keys(doc.components.schemas).map((name) => ['components', 'schemas', name]);
  const walk = (node: unknown, at: string[]) => {
    if (!node || typeof node !== 'object' || at[0] === 'components' && at[1] === 'schemas') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && value && typeof value === 'object') found.push([...at, key]);
      else walk(value, [...at, key]);
    }
  };
  walk(doc.paths, ['paths']);
  walk(doc.components.responses, ['components', 'responses']);
  return found;
}

describe('the OpenAPI document', () => {
  const doc: Doc = buildOpenApi();
  let server: TestServer;
  let admin: SeededUser;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    await server.instansi('A1');
    admin = await server.user({ instansiId: 'A1', nip: '198503152010012003', role: 'admin' });
  });
  afterAll(() => server?.close());

  it('is what docs/openapi.json holds (run `npm run openapi` after changing a route)', () => {
    const onDisk = readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8');
    expect(onDisk === openApiJson(), 'docs/openapi.json is stale: run `npm run openapi`').toBe(true);
  });

  it('is served at /v1/openapi.json', async () => {
    const res = await server.call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(doc);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('has every route of the table at its path and method, with its access as the security requirement', () => {
    const ids = new Set<string>();
    for (const [name, def] of Object.entries(dmsRoutes) as [string, RouteDef][]) {
      const op = doc.paths[pathOf(def)]?.[def.method.toLowerCase()];
      expect(op, `${name}: ${def.method} ${def.path}`).toBeDefined();
      expect(op.operationId).toBe(name);
      expect(op['x-lemari-access']).toBe(def.access);
      expect(op.security).toEqual(def.access === 'public' ? [] : [{ bearerAuth: def.access === 'admin' ? ['admin'] : [] }]);
      if (def.access !== 'public') expect(op.responses['401'], name).toEqual({ $ref: '#/components/responses/Error401' });
      if (def.body) expect(Object.keys(op.requestBody.content), name).toEqual(['application/json']);
      for (const param of def.path.match(/:(\w+)/g) ?? []) {
        expect(op.parameters.some((p: { name: string; in: string }) => p.in === 'path' && p.name === param.slice(1)), `${name} ${param}`).toBe(true);
      }
    }
    for (const item of Object.values(doc.paths) as Record<string, { operationId: string }>[]) {
      for (const op of Object.values(item)) {
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
      }
    }
  });

  it('describes the tus endpoints and /metrics, outside the route table', () => {
    expect(Object.keys(doc.paths['/v1/uploads']).sort()).toEqual(['options', 'post']);
    expect(Object.keys(doc.paths['/v1/uploads/{id}']).sort()).toEqual(['head', 'patch']);
    for (const op of [doc.paths['/v1/uploads'].post, doc.paths['/v1/uploads/{id}'].head, doc.paths['/v1/uploads/{id}'].patch]) {
      expect(op.parameters.find((p: { name: string }) => p.name === 'Tus-Resumable')).toMatchObject({ in: 'header', required: true, schema: { const: '1.0.0' } });
      expect(op.security).toEqual([{ bearerAuth: [] }]);
    }
    expect(doc.paths['/metrics'].get.responses['200'].content['text/plain']).toBeDefined();
  });

  it('compiles every schema as JSON Schema 2020-12, with every reference resolving', () => {
    const schema = validators(doc);
    const locations = schemaLocations(doc);
    expect(locations.length).toBeGreaterThan(Object.keys(dmsRoutes).length);
    for (const at of locations) expect(() => schema(...at), at.join('/')).not.toThrow();
  });

  it('carries the error model: every code of the API with its status', () => {
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(Object.keys(DMS_ERROR_CODES));
    for (const [code, status] of Object.entries(DMS_ERROR_CODES)) {
      const response = doc.components.responses[`Error${status}`];
      expect(response.description, code).toContain(code);
      expect(response.content['application/json'].schema.allOf[1].properties.error.properties.code.enum).toContain(code);
    }
  });

  it('tells the truth: each route\'s answer to a call with no input validates against the documented answer for its status', async () => {
    const schema = validators(doc);
    for (const [name, def] of Object.entries(dmsRoutes) as [string, RouteDef][]) {
      const path = def.path.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await server.call(def.method, path, def.body ? { body: {}, token: admin.token } : { token: admin.token });
      const op = doc.paths[pathOf(def)][def.method.toLowerCase()];
      const documented = op.responses[String(res.status)] ? String(res.status) : 'default';
      if (!op.responses[documented]) throw new Error(`${name} answered ${res.status}, which its operation does not document`);
      const answer = op.responses[documented].$ref ? doc.components.responses[op.responses[documented].$ref.split('/').pop()] : op.responses[documented];
      if (!answer.content?.['application/json'] || def.response === null) continue;
      const at = op.responses[documented].$ref
        ? ['components', 'responses', op.responses[documented].$ref.split('/').pop(), 'content', 'application/json', 'schema']
        : ['paths', pathOf(def), def.method.toLowerCase(), 'responses', documented, 'content', 'application/json', 'schema'];
      const validate = schema(...at);
      expect(validate(res.body), `${name} ${res.status}: ${JSON.stringify(validate.errors)} for ${JSON.stringify(res.body)}`).toBe(true);
    }
  });

  it('tells the truth about tus: creation answers 201 with Location, HEAD gives the offset', async () => {
    const tus = new TusClient(server.url, admin.token);
    const bytes = Buffer.from('%PDF-1.7 openapi test');
    const created = await tus.create({ size: bytes.length, metadata: { filename: 'scan.pdf', sha256: sha256(bytes) } });
    expect(created.status).toBe(201);
    expect(Object.keys(doc.paths['/v1/uploads'].post.responses['201'].headers)).toContain('Location');
    expect(created.url).toMatch(/\/v1\/uploads\/[0-9a-f]{32}$/);
    const head = await tus.head(created.url!);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe('0');
    const bad = await fetch(`${server.url}/v1/uploads`, { method: 'POST', headers: { authorization: admin.auth.authorization, 'upload-length': '1', 'upload-metadata': metadataHeader({ filename: 'a.pdf', sha256: sha256(bytes) }) } });
    expect(bad.status).toBe(412);
    expect(doc.paths['/v1/uploads'].post.responses['412']).toEqual({ $ref: '#/components/responses/Error412' });
  });

  it('tells the truth about documents.sendBatch: a batch with a stored and a refused item answers what the 200 documents', async () => {
    const good = Buffer.from('%PDF-1.7 openapi batch');
    const label = { nip: '198503152010012003', typeCode: 'SK_PNS', fields: { nomor: '823.4/112/BKD/2011', tanggal: '2011-03-01', tmt: '2011-03-01' }, fileName: 'scan.pdf' };
    const items = [
      { ...label, idempotencyKey: 'openapi-batch-1', sha256: sha256(good), size: good.length },
      { ...label, idempotencyKey: 'openapi-batch-2', sha256: sha256(good), size: good.length, nip: '12345' },
    ];
    const manifest = Buffer.from(JSON.stringify({ items }));
    const op = doc.paths[DOCUMENT_SEND_BATCH.path].post;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['Lemari-Manifest-Length', 'Content-Length']);
    const res = await fetch(server.url + DOCUMENT_SEND_BATCH.path, {
      method: 'POST',
      headers: { ...admin.auth, 'content-type': DOCUMENT_SEND_BATCH.contentType, [DOCUMENT_SEND_BATCH.manifestHeader]: String(manifest.length) },
      body: new Uint8Array(Buffer.concat([manifest, good, good])),
    });
    const answer = (await res.json()) as { results: { created?: boolean; error?: { code: string } }[] };
    expect([res.status, answer.results[0].created, answer.results[1].error?.code]).toEqual([200, true, 'invalid_input']);
    const at = ['paths', DOCUMENT_SEND_BATCH.path, 'post', 'responses', '200', 'content', 'application/json', 'schema'];
    const validate = validators(doc)(...at);
    expect(validate(answer), JSON.stringify(validate.errors)).toBe(true);
    const manifestSchema = validators(doc)('paths', DOCUMENT_SEND_BATCH.path, 'post', 'requestBody', 'content', DOCUMENT_SEND_BATCH.contentType, 'x-lemari-manifest', 'schema');
    expect(manifestSchema({ items }), JSON.stringify(manifestSchema.errors)).toBe(true);
  });

  it('matches the error table of docs/API.md: every code with its status, and no other', () => {
    const text = readFileSync(join(ROOT, 'docs/API.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(DMS_ERROR_CODES);
    expect(rows).toHaveLength(Object.keys(DMS_ERROR_CODES).length);
  });

  it('lists every route of the table in docs/API.md', () => {
    const text = readFileSync(join(ROOT, 'docs/API.md'), 'utf8');
    for (const [name, def] of Object.entries(dmsRoutes) as [string, RouteDef][]) {
      expect(text, name).toContain(`| \`${def.method} ${def.path}\` | \`${name}\` | ${def.access} |`);
    }
  });
});
