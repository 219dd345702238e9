// Registers the API's routes on Fastify from their declarations in common/dms: resolves
// the caller, parses params, query and body with the route's zod schemas (unknown fields
// are refused), runs the handler, and parses its answer with the response schema so that
// nothing undeclared (a password hash, another tenant's field) can leave the server.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Body, DmsRouteName, DmsRoutes, Params, Query, Reply, RouteDef } from '../../common/dms';
import type { Principal } from '../auth/tokens';
import { DmsError } from './errors';

export interface HandlerContext<R extends RouteDef> {
  principal: R['access'] extends 'public' ? Principal | null : Principal;
  params: Params<R>;
  query: Query<R>;
  body: Body<R>;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * A route's handler. It returns the success body; a route whose `response` is null
 * (bytes, redirects) sends through `reply` itself and returns it.
 */
export type Handler<R extends RouteDef> = (ctx: HandlerContext<R>) => Promise<Reply<R> | FastifyReply>;

export type Handlers = { [K in DmsRouteName]: Handler<DmsRoutes[K]> };

export type Authenticator = (request: FastifyRequest) => Promise<Principal>;

/** Turns zod's issues into the API's invalid_input / unknown_field errors. */
export function inputError(where: 'params' | 'query' | 'body', error: z.ZodError): DmsError {
  const issues = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
    ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys } : {}),
  }));
  const unknown = error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown) {
    return new DmsError('unknown_field', `Unknown field(s) in ${where}: ${unknown.keys.join(', ')}.`, { issues });
  }
  return new DmsError('invalid_input', `Invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}

function parse(where: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) {
    if (where === 'body' && value !== undefined && value !== null && !(typeof value === 'object' && Object.keys(value).length === 0)) {
      throw new DmsError('unknown_field', 'This route takes no request body.');
    }
    // A query parameter a route does not declare is refused like an unknown body field: a
    // client that sends `?since=` to a route without a feed must hear that it was ignored.
    if (where === 'query' && value && typeof value === 'object' && Object.keys(value).length > 0) {
      const keys = Object.keys(value);
      throw new DmsError('unknown_field', `Unknown field(s) in query: ${keys.join(', ')}.`, { issues: [{ path: 'query', message: 'this route takes no query parameters', keys }] });
    }
    return undefined;
  }
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw inputError(where, result.error);
  return result.data;
}

export function registerRoutes(app: FastifyInstance, table: DmsRoutes, handlers: Handlers, authenticate: Authenticator): void {
  for (const [name, def] of Object.entries(table) as [DmsRouteName, RouteDef][]) {
    const handler = handlers[name] as unknown as Handler<RouteDef>;
    app.route({
      method: def.method,
      url: def.path,
      config: { routeName: name },
      handler: async (request, reply) => {
        const principal = def.access === 'public' ? null : await authenticate(request);
        if (def.access === 'admin' && principal?.role !== 'admin') {
          throw new DmsError('forbidden', 'This route is for administrators of the instansi.');
        }
        const ctx = {
          principal,
          params: parse('params', def.params, request.params),
          query: parse('query', def.query, request.query),
          body: parse('body', def.body, request.body),
          request,
          reply,
        } as HandlerContext<RouteDef>;
        const value = await handler(ctx);
        if (def.response === null) return reply;
        const out = def.response.safeParse(value);
        if (!out.success) {
          request.log.error({ route: name, issues: out.error.issues }, 'handler answer does not match its declared schema');
          throw new DmsError('internal', 'The server produced an invalid answer.');
        }
        reply.code(def.status ?? 200);
        return out.data;
      },
    });
  }
}
