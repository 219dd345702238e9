// The OpenAPI generator on small route tables: path templates, parameters, access as
// security, and schemas that zod extracts (named with .meta({ id }), or recursive) ending up
// as components whose references resolve.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routes } from '../../common/dms/route';
import { buildOpenApi } from './openapi';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is plain JSON read by path
type Doc = any;

/** Every `$ref` in the document, with whether it points at something. */
function refs(doc: Doc): { ref: string; resolves: boolean }[] {
  const found: { ref: string; resolves: boolean }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const target = value
          .slice(2)
          .split('/')
          .reduce<Doc>((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
        found.push({ ref: value, resolves: value.startsWith('#/') && target !== undefined });
      } else {
        walk(value);
      }
    }
  };
  walk(doc);
  return found;
}

describe('buildOpenApi', () => {
  it('turns a route into an operation: path template, parameters, body, answer, access as security', () => {
    const doc: Doc = buildOpenApi(
      routes({
        'things.update': {
          method: 'PATCH',
          path: '/v1/things/:id',
          summary: 'Updates a thing.',
          tag: 'things',
          access: 'admin',
          params: z.strictObject({ id: z.uuid() }),
          query: z.strictObject({ dryRun: z.enum(['yes', 'no']).optional() }),
          body: z.strictObject({ name: z.string().min(1) }),
          response: z.object({ name: z.string() }),
        },
        'things.ping': { method: 'GET', path: '/v1/ping', summary: 'Ping.', tag: 'things', access: 'public', response: z.object({ ok: z.boolean() }) },
      }),
    );
    const op = doc.paths['/v1/things/{id}'].patch;
    expect(op.operationId).toBe('things.update');
    expect(op.security).toEqual([{ bearerAuth: ['admin'] }]);
    expect(op.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', format: 'uuid' }) },
      { name: 'dryRun', in: 'query', required: false, schema: { type: 'string', enum: ['yes', 'no'] } },
    ]);
    expect(op.requestBody.required).toBe(true);
    expect(op.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['name'], additionalProperties: false });
    expect(Object.keys(op.responses)).toEqual(['200', '400', '401', '403', '404', '413', '415', 'default']);
    expect(doc.paths['/v1/ping'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/v1/ping'].get.responses)).toEqual(['200', 'default']);
  });

  it('makes named and recursive schemas components, split by direction when a default makes them differ', () => {
    const Tag = z.strictObject({ label: z.string(), weight: z.number().default(1) }).meta({ id: 'TestTag' });
    interface Node {
      name: string;
      children: Node[];
    }
    const Tree: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(Tree) }));
    const doc: Doc = buildOpenApi(
      routes({
        'tags.put': { method: 'PUT', path: '/v1/tags', summary: 'Puts tags.', tag: 'tags', access: 'user', body: z.strictObject({ tags: z.array(Tag) }), response: z.object({ tags: z.array(Tag) }) },
        'tree.get': { method: 'GET', path: '/v1/tree', summary: 'The tree.', tag: 'tags', access: 'user', response: z.object({ root: Tree, other: Tree }) },
      }),
    );
    const schemas = doc.components.schemas;
    expect(schemas.TestTag.required).toEqual(['label', 'weight']);
    expect(schemas.TestTagInput.required).toEqual(['label']);
    expect(doc.paths['/v1/tags'].put.requestBody.content['application/json'].schema.properties.tags.items.$ref).toBe('#/components/schemas/TestTagInput');
    expect(doc.paths['/v1/tags'].put.responses['200'].content['application/json'].schema.properties.tags.items.$ref).toBe('#/components/schemas/TestTag');
    expect(Object.keys(schemas).some((name) => name.startsWith('tree.get.response.'))).toBe(true);
    const all = refs(doc);
    expect(all.filter((r) => !r.resolves)).toEqual([]);
    expect(all.some((r) => r.ref.startsWith('#/components/schemas/tree.get.response.'))).toBe(true);
  });

  it('refuses a route that would replace a hand-written tus operation', () => {
    const table = routes({
      'uploads.clash': { method: 'PATCH', path: '/v1/uploads/:id', summary: 'Clash.', tag: 'uploads', access: 'user', response: z.object({}) },
    });
    expect(() => buildOpenApi(table)).toThrow(/PATCH \/v1\/uploads\/\{id\} is in the route table and written by hand/);
  });

  it('refuses a query that is not an object of named fields', () => {
    const table = routes({
      'odd.list': { method: 'GET', path: '/v1/odd', summary: 'Odd.', tag: 'odd', access: 'user', query: z.string(), response: z.object({}) },
    });
    expect(() => buildOpenApi(table)).toThrow(/odd.list: its query schema must be an object/);
  });
});
