// The OpenAPI 3.1 document of the central DMS API, generated from the route table in
// common/dms (zod 4's JSON Schema output is draft 2020-12, which is OpenAPI 3.1's dialect).
// Served at GET /v1/openapi.json and kept in docs/openapi.json (`npm run openapi`; a test
// fails when the file and the code differ). The tus endpoints, documents.send and
// documents.sendBatch and /metrics live outside the route table, so their path items are
// written here by hand.
import { z } from 'zod';
import { DMS_API_VERSION, DMS_ERROR_CODES, dmsRoutes, type DmsErrorCode, type RouteDef } from '../../common/dms';
import { DOCUMENT_SEND, DOCUMENT_SEND_BATCH, SendInput } from '../../common/dms/documents';
import { TUS_PATH, TUS_VERSION } from '../../common/dms/uploads';

type Json = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

/** Routes that answer with bytes or a body of their own (`response: null`) and what they send. */
const RAW_RESPONSES: Record<string, Json> = {
  'ops.openapi': { description: 'This document.', content: { 'application/json': { schema: { type: 'object' } } } },
};

const ERROR_CODES = Object.keys(DMS_ERROR_CODES) as DmsErrorCode[];

/** The body of every 4xx and 5xx answer. */
const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [DmsErrorCode, ...DmsErrorCode[]]).describe('Stable and machine-readable; act on this, not on the message.'),
      message: z.string().describe('For people; its wording may change.'),
      details: z.record(z.string(), z.unknown()).optional().describe('Code-specific data (zod issues, the current version of a document).'),
    }),
  })
  .describe('The error shape of every 4xx and 5xx answer of the API.');

function codesWithStatus(status: number): DmsErrorCode[] {
  return ERROR_CODES.filter((code) => DMS_ERROR_CODES[code] === status);
}

/** One reusable response per error status, naming the codes that status can carry. */
function errorResponses(): Record<string, Json> {
  const statuses = [...new Set(Object.values(DMS_ERROR_CODES))].sort((a, b) => a - b);
  const responses: Record<string, Json> = {
    Error: { description: 'An error (any code of the API).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  };
  for (const status of statuses) {
    const codes = codesWithStatus(status);
    responses[`Error${status}`] = {
      description: `Codes: ${codes.join(', ')}.`,
      content: {
        'application/json': {
          schema: {
            allOf: [{ $ref: '#/components/schemas/Error' }, { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } }],
          },
        },
      },
    };
  }
  return responses;
}

const errorRef = (status: number) => ({ $ref: `#/components/responses/Error${status}` });

/**
 * Converts zod schemas and collects the named ones (`.meta({ id })`) and recursive ones as
 * components. A schema named X whose request (input) and answer (output) forms differ, as
 * with defaults, becomes X and XInput.
 */
class SchemaCollector {
  private readonly named = new Map<string, { input?: Json; output?: Json }>();

  convert(schema: z.ZodType, io: 'input' | 'output', owner: string): Json {
    const { $schema: _dialect, $defs, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
    const local = new Map<string, string>();
    for (const key of Object.keys(($defs as Json | undefined) ?? {})) {
      // zod names a schema it extracted for recursion `__schemaN`; those are per conversion.
      local.set(key, key.startsWith('__schema') ? `${owner}.${key.replace(/^_+/, '')}` : key);
    }
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (!node || typeof node !== 'object') return node;
      const out: Json = {};
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/')) {
          out.$ref = `#/components/schemas/${local.get(value.slice('#/$defs/'.length))}@${io}`;
        } else {
          out[key] = rewrite(value);
        }
      }
      return out;
    };
    for (const [key, def] of Object.entries(($defs as Json | undefined) ?? {})) {
      const name = local.get(key) as string;
      const entry = this.named.get(name) ?? {};
      entry[io] = rewrite(def) as Json;
      this.named.set(name, entry);
    }
    return rewrite(json) as Json;
  }

  /** The collected components, and a function that points each `@io` reference at its final name. */
  finish(): { schemas: Record<string, Json>; resolve(ref: string): string } {
    const schemas: Record<string, Json> = {};
    const finalName = new Map<string, string>();
    for (const [name, { input, output }] of [...this.named].sort(([a], [b]) => a.localeCompare(b))) {
      const same = !input || !output || JSON.stringify(input) === JSON.stringify(output);
      finalName.set(`${name}@output`, name);
      finalName.set(`${name}@input`, same ? name : `${name}Input`);
      schemas[name] = (output ?? input) as Json;
      if (!same) schemas[`${name}Input`] = input;
    }
    return {
      schemas,
      resolve: (ref) => {
        const at = ref.lastIndexOf('/') + 1;
        return ref.slice(0, at) + (finalName.get(ref.slice(at)) ?? ref.slice(at));
      },
    };
  }
}

function pathOf(fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?/g, '{$1}');
}

function parameters(where: 'path' | 'query', json: Json, route: string): Json[] {
  if (json.type !== 'object' || typeof json.properties !== 'object') {
    throw new Error(`${route}: its ${where === 'path' ? 'params' : 'query'} schema must be an object of named fields`);
  }
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(json.properties as Record<string, Json>).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function operation(name: string, def: RouteDef, schemas: SchemaCollector): Json {
  const params: Json[] = [];
  const pathNames = [...def.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  if (def.params) params.push(...parameters('path', schemas.convert(def.params, 'input', `${name}.params`), name));
  for (const missing of pathNames.filter((p) => !params.some((q) => q.name === p))) {
    params.push({ name: missing, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (def.query) params.push(...parameters('query', schemas.convert(def.query, 'input', `${name}.query`), name));

  const status = def.status ?? 200;
  const responses: Record<string, Json> = {
    [status]:
      def.response === null
        ? (RAW_RESPONSES[name] ?? (status === 204 ? { description: STATUS_TEXT[204] } : { description: 'The answer is bytes; the summary says which, and its headers.' }))
        : { description: STATUS_TEXT[status] ?? 'Success', content: { 'application/json': { schema: schemas.convert(def.response, 'output', `${name}.response`) } } },
  };
  // The statuses the frame itself can answer for this route, before or around its handler.
  if (def.params || def.query || def.body) responses['400'] = errorRef(400);
  if (def.access !== 'public') Object.assign(responses, { 401: errorRef(401), 403: errorRef(403) });
  if (def.params) responses['404'] = errorRef(404);
  if (def.body) Object.assign(responses, { 413: errorRef(413), 415: errorRef(415) });
  responses.default = { $ref: '#/components/responses/Error' };

  return {
    operationId: name,
    summary: def.summary,
    tags: [def.tag],
    ...(def.access === 'public' ? { security: [] } : { security: [{ bearerAuth: def.access === 'admin' ? ['admin'] : [] }] }),
    'x-lemari-access': def.access,
    ...(params.length ? { parameters: params } : {}),
    ...(def.body
      ? {
          requestBody: {
            required: !def.body.safeParse(undefined).success,
            content: { 'application/json': { schema: schemas.convert(def.body, 'input', `${name}.body`) } },
          },
        }
      : {}),
    responses,
  };
}

const header = (description: string, schema: Json = { type: 'string' }): Json => ({ description, schema });

/**
 * The tus 1.0 endpoint as server/uploads/tus.ts serves it: creation (with upload), HEAD and
 * PATCH, every request authenticated; no termination (an abandoned upload expires) and no
 * deferred length. Its errors are the API's JSON errors. Plus /metrics.
 */
function handWrittenPaths(): Record<string, Record<string, Json>> {
  const tusResumable = { name: 'Tus-Resumable', in: 'header', required: true, schema: { const: TUS_VERSION } };
  const uploadId = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' } };
  const secured = { tags: ['uploads'], security: [{ bearerAuth: [] }], 'x-lemari-access': 'user' };
  const tusHeaders = { 'Tus-Resumable': header(`Always ${TUS_VERSION}.`) };
  const bytes = { 'application/offset+octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } };
  const errors = (...statuses: number[]) => ({
    ...Object.fromEntries([400, 401, 412, ...statuses].sort((a, b) => a - b).map((status) => [status, errorRef(status)])),
    default: { $ref: '#/components/responses/Error' },
  });
  return {
    [TUS_PATH]: {
      options: {
        operationId: 'uploads.tus.options',
        summary: 'tus discovery: the protocol versions, extensions and the largest upload accepted.',
        ...secured,
        responses: {
          204: {
            description: 'The server\'s tus capabilities.',
            headers: {
              ...tusHeaders,
              'Tus-Version': header(`${TUS_VERSION}.`),
              'Tus-Extension': header('Comma-separated tus extensions.'),
              'Tus-Max-Size': header('The largest upload in bytes (LEMARI_MAX_UPLOAD_BYTES).', { type: 'integer' }),
            },
          },
          401: errorRef(401),
        },
      },
      post: {
        operationId: 'uploads.tus.create',
        summary:
          'Creates an upload (tus creation; the first bytes may come with it, creation-with-upload). Upload-Metadata carries `filename` and `sha256` (values base64, as tus says) and nothing else. When the last byte arrives the server hashes the file: the upload is complete only if it matches; otherwise it is rejected (checksum_mismatch) and nothing is kept.',
        ...secured,
        parameters: [
          tusResumable,
          { name: 'Upload-Length', in: 'header', required: true, schema: { type: 'integer', minimum: 0 }, description: 'The size of the whole file in bytes; above the maximum gives 413.' },
          { name: 'Upload-Metadata', in: 'header', required: true, schema: { type: 'string' }, description: '`filename <base64>,sha256 <base64>`: a file name without path separators or control characters, and the file\'s SHA-256 in lowercase hex.' },
        ],
        requestBody: { required: false, content: bytes },
        responses: {
          201: {
            description: `Created; send the bytes with PATCH to Location (${TUS_PATH}/{id}).`,
            headers: { ...tusHeaders, Location: header('The upload\'s URL.'), 'Upload-Offset': header('Bytes stored, when some came with the creation.', { type: 'integer' }) },
          },
          ...errors(413, 415, 422),
        },
      },
    },
    [`${TUS_PATH}/{id}`]: {
      head: {
        operationId: 'uploads.tus.offset',
        summary: 'Where to resume: the number of bytes the server has. Any node answers (uploads are shared, and locked across nodes with PostgreSQL advisory locks).',
        ...secured,
        parameters: [uploadId, tusResumable],
        responses: {
          200: {
            description: 'The upload\'s offset and length (no body).',
            headers: { ...tusHeaders, 'Upload-Offset': header('Bytes received.', { type: 'integer' }), 'Upload-Length': header('The whole size.', { type: 'integer' }) },
          },
          ...errors(404, 410),
        },
      },
      patch: {
        operationId: 'uploads.tus.append',
        summary:
          'Appends bytes at Upload-Offset. With the last byte the server checks the SHA-256: a match makes the upload complete (then commit it with documents.commit); a mismatch answers checksum_mismatch and discards it.',
        ...secured,
        parameters: [uploadId, tusResumable, { name: 'Upload-Offset', in: 'header', required: true, schema: { type: 'integer', minimum: 0 }, description: 'Must equal the server\'s offset (conflict otherwise: ask with HEAD).' }],
        requestBody: { required: true, content: bytes },
        responses: {
          204: { description: 'Bytes stored.', headers: { ...tusHeaders, 'Upload-Offset': header('The new offset.', { type: 'integer' }) } },
          ...errors(404, 409, 410, 413, 415, 422),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'ops.metrics',
        summary:
          'Prometheus metrics (text exposition format). With METRICS_TOKEN set, it needs `Authorization: Bearer <METRICS_TOKEN>`; without it, only a direct connection from the loopback address (not through a proxy) gets an answer.',
        tags: ['ops'],
        security: [{ metricsToken: [] }, {}],
        'x-lemari-access': 'metrics',
        responses: {
          200: { description: 'The metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
          401: errorRef(401),
          403: errorRef(403),
        },
      },
    },
  };
}

/**
 * An operation declared beside the route table (documents.send, documents.sendBatch): its
 * body is not JSON, its answer (200) is, and the frame around it answers the statuses in
 * `errors`.
 */
function bodyOperation(
  def: { name: string; summary: string; tag: string; access: string; response: z.ZodType },
  schemas: SchemaCollector,
  p: { parameters: Json[]; requestBody: Json; answer: string; errors: number[] },
): Json {
  return {
    operationId: def.name,
    summary: def.summary,
    tags: [def.tag],
    security: [{ bearerAuth: [] }],
    'x-lemari-access': def.access,
    parameters: p.parameters,
    requestBody: p.requestBody,
    responses: {
      200: { description: p.answer, content: { 'application/json': { schema: schemas.convert(def.response, 'output', `${def.name}.response`) } } },
      ...Object.fromEntries(p.errors.map((status) => [status, errorRef(status)])),
      default: { $ref: '#/components/responses/Error' },
    },
  };
}

/** documents.send: the label in a header (its JSON schema given), the file as the body, the answer of documents.commit. */
function sendOperation(schemas: SchemaCollector): Json {
  const label = schemas.convert(SendInput, 'input', `${DOCUMENT_SEND.name}.header`);
  return bodyOperation(DOCUMENT_SEND, schemas, {
    parameters: [
      {
        name: 'Lemari-Document',
        in: 'header',
        required: true,
        description: 'The JSON of this schema, percent-encoded (encodeURIComponent): the idempotency key, the SHA-256 of the body, and the label.',
        content: { 'application/json': { schema: label } },
      },
      { name: 'Content-Length', in: 'header', required: true, schema: { type: 'integer', minimum: 0, maximum: DOCUMENT_SEND.maxBytes }, description: 'The file\'s size; above the maximum gives 413 before the body is read.' },
    ],
    requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
    answer: 'The document, made now (created: true) or by an earlier request with the same key and content (created: false).',
    errors: [400, 401, 409, 413, 415, 422],
  });
}

/**
 * documents.sendBatch: the manifest (its JSON schema given, as `x-lemari-manifest` of the
 * body's media type) and then the documents' bytes in one body; one result per document.
 */
function sendBatchOperation(schemas: SchemaCollector): Json {
  const manifest = schemas.convert(DOCUMENT_SEND_BATCH.manifest, 'input', `${DOCUMENT_SEND_BATCH.name}.manifest`);
  const { contentType, maxManifestBytes, maxBytes, maxItems } = DOCUMENT_SEND_BATCH;
  return bodyOperation(DOCUMENT_SEND_BATCH, schemas, {
    parameters: [
      {
        name: 'Lemari-Manifest-Length',
        in: 'header',
        required: true,
        schema: { type: 'integer', minimum: 1, maximum: maxManifestBytes },
        description: 'The manifest\'s length in bytes: the body begins with it. Above the maximum gives 413 before the body is read.',
      },
      {
        name: 'Content-Length',
        in: 'header',
        required: true,
        schema: { type: 'integer', minimum: 1 },
        description: `The manifest's length plus every item's size (invalid_input otherwise). Items summing to more than ${maxBytes} bytes (or the server's LEMARI_MAX_UPLOAD_BYTES), or one item over ${DOCUMENT_SEND.maxBytes} (send it by tus), give 413 before their bytes are read.`,
      },
    ],
    requestBody: {
      required: true,
      description: `The manifest: Lemari-Manifest-Length bytes of UTF-8 JSON of the schema under x-lemari-manifest (1 to ${maxItems} items, each the label, idempotency key and SHA-256 documents.send takes, with the item's size in bytes; no key twice). Then each item's bytes in manifest order, exactly its size of them, nothing between or after.`,
      content: { [contentType]: { schema: { type: 'string', contentMediaType: contentType }, 'x-lemari-manifest': { schema: manifest } } },
    },
    answer:
      'One result per item, in manifest order: its document, made now (created: true) or by an earlier request with the same key and content (created: false), or the error documents.send would have answered for that item alone (invalid_input, unknown_field, invalid_file_name, checksum_mismatch, conflict). Refused items keep nothing; the others are stored all the same.',
    errors: [400, 401, 413, 415],
  });
}

/** The OpenAPI document of a route table (the API's own by default). */
export function buildOpenApi(table: Record<string, RouteDef> = dmsRoutes): Json {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, Json>> = {};
  for (const [name, def] of Object.entries(table)) {
    const path = pathOf(def.path);
    paths[path] ??= {};
    paths[path][def.method.toLowerCase()] = operation(name, def, schemas);
  }
  for (const [path, item] of Object.entries(handWrittenPaths())) {
    for (const [method, op] of Object.entries(item)) {
      if (paths[path]?.[method]) throw new Error(`${method.toUpperCase()} ${path} is in the route table and written by hand in openapi.ts`);
      paths[path] ??= {};
      paths[path][method] = op;
    }
  }
  // Issue 5 (speed): documents.send and documents.sendBatch, declared in common/dms/documents.ts (DOCUMENT_SEND, DOCUMENT_SEND_BATCH) outside the route table, since their bodies carry files.
  paths[DOCUMENT_SEND.path] = { ...paths[DOCUMENT_SEND.path], [DOCUMENT_SEND.method.toLowerCase()]: sendOperation(schemas) };
  paths[DOCUMENT_SEND_BATCH.path] = { ...paths[DOCUMENT_SEND_BATCH.path], [DOCUMENT_SEND_BATCH.method.toLowerCase()]: sendBatchOperation(schemas) };
  const collected = schemas.finish();
  const tags = [...new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags as string[])))].sort();
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Lemari central DMS API',
      version: DMS_API_VERSION,
      description:
        'The sync API between Lemari workstations and the central DMS server. Generated from the route table in common/dms; docs/API.md explains the flow (login, upload, commit, changes, download) and the error model.',
    },
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: withoutDialect(z.toJSONSchema(ErrorBody, { target: 'draft-2020-12' }) as Json), ...collected.schemas },
      responses: errorResponses(),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An access token from login (password, then TOTP) or refresh. Operations for administrators list the role `admin`.',
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN of the server\'s environment.' },
      },
    },
  };
  return pointRefs(document, collected.resolve) as Json;
}

function withoutDialect({ $schema: _dialect, ...json }: Json): Json {
  return json;
}

function pointRefs(node: unknown, resolve: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((item) => pointRefs(item, resolve));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.includes('@') ? resolve(value) : pointRefs(value, resolve)]));
}

/** The document as docs/openapi.json holds it. */
export function openApiJson(table?: Record<string, RouteDef>): string {
  return `${JSON.stringify(buildOpenApi(table), null, 2)}\n`;
}
