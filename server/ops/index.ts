// server/ops: what operations need of every node. Liveness and readiness (readiness fails
// while the node drains or when its database does not answer), the OpenAPI document,
// Prometheus metrics at /metrics, request ids, security headers on every answer, and the
// drain itself: once close() begins, requests still arriving on open connections are
// refused with 503 and every connection closes after its answer, so in-flight uploads
// finish and nothing new starts.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import { openApiJson } from '../http/openapi';
import type { Handlers } from '../http/routes';
import { REQUEST_ID_HEADER } from './logging';

export interface Lifecycle {
  /** False once shutdown has begun: readiness fails so the balancer stops sending work. */
  accepting: boolean;
}

/** A database that takes longer than this to answer `select 1` makes the node unready. */
export const READY_DB_TIMEOUT_MS = 2000;

/** Headers on every answer: an API's bodies are never cached, sniffed, framed or a page. */
const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export function opsHandlers(deps: ServerDeps, lifecycle: Lifecycle): Pick<Handlers, 'ops.health' | 'ops.ready' | 'ops.openapi'> {
  let openapi: string | undefined;
  return {
    'ops.health': async () => ({ status: 'ok' }),
    'ops.ready': async () => {
      if (!lifecycle.accepting) throw new DmsError('unavailable', 'This node is shutting down.');
      if (!(await databaseAnswers(deps))) throw new DmsError('unavailable', 'The database does not answer.');
      return { status: 'ready', database: deps.db.kind, blobs: deps.blobs.kind };
    },
    'ops.openapi': async ({ reply }) => {
      openapi ??= openApiJson();
      return reply.type('application/json; charset=utf-8').send(openapi);
    },
  };
}

async function databaseAnswers(deps: ServerDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_DB_TIMEOUT_MS);
  });
  try {
    return await Promise.race([deps.db.query('select 1').then(() => true as const), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Registers the hooks and the /metrics route; call before the API's routes. */
export function registerOps(app: FastifyInstance, deps: ServerDeps, lifecycle: Lifecycle): void {
  // Fastify parses text/plain by default; the API takes JSON (and tus its own octet stream),
  // so anything else is unsupported_media_type rather than a string the schemas refuse.
  app.removeContentTypeParser('text/plain');

  const inFlight = new Set<ServerResponse>();
  app.addHook('onRequest', async (request, reply) => {
    const res = reply.raw;
    // On the raw response, so that answers written past Fastify (tus) carry them too.
    res.setHeader(REQUEST_ID_HEADER, request.id);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);

    const end = deps.metrics.startRequest();
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // 499: the client went away before the answer was complete (nginx's convention).
      end({ route: routeLabel(request), method: request.method, status: res.writableFinished ? res.statusCode : 499 });
    });

    if (!lifecycle.accepting) {
      res.setHeader('connection', 'close');
      if (routeName(request) !== 'ops.health') {
        throw new DmsError('unavailable', 'This node is shutting down; retry, the balancer sends you to another.', undefined, { 'retry-after': '1' });
      }
    }
  });

  // close() has begun: the listener stops, and every connection with a request in flight
  // closes once that request is answered (Node would otherwise keep it alive and the
  // drain would wait out the keep-alive timeout).
  app.addHook('preClose', async () => {
    lifecycle.accepting = false;
    for (const res of inFlight) {
      if (!res.headersSent) {
        res.setHeader('connection', 'close');
      } else {
        const socket = res.socket;
        res.once('finish', () => socket?.end());
      }
    }
  });

  app.get('/metrics', { config: { routeName: 'ops.metrics' } }, async (request, reply) => {
    checkMetricsAccess(request, deps.config.metricsToken);
    const { contentType, text } = await deps.metrics.scrape();
    return reply.type(contentType).send(text);
  });
}

/** The route's name in the table (server/http/routes.ts sets it in the route's config). */
function routeName(request: FastifyRequest): string | undefined {
  return (request.routeOptions.config as { routeName?: string } | undefined)?.routeName;
}

function routeLabel(request: FastifyRequest): string {
  if (request.is404) return 'unmatched';
  return routeName(request) ?? request.routeOptions.url ?? 'unmatched';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * /metrics shows request rates and the process's memory: not secrets, but not for the
 * internet. With METRICS_TOKEN it needs that bearer token from anywhere; without one, it
 * answers only a scraper on the same host connecting directly (a request that came through
 * a reverse proxy carries X-Forwarded-For or X-Real-IP and is refused).
 */
function checkMetricsAccess(request: FastifyRequest, token: string | undefined): void {
  if (token) {
    const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const digest = (text: string) => createHash('sha256').update(text).digest();
    if (!timingSafeEqual(digest(given), digest(token))) {
      throw new DmsError('unauthenticated', '/metrics needs Authorization: Bearer <METRICS_TOKEN>.');
    }
    return;
  }
  const proxied = ['x-forwarded-for', 'x-real-ip', 'forwarded'].some((name) => request.headers[name] !== undefined);
  if (proxied || !LOOPBACK.has(request.socket.remoteAddress ?? '')) {
    throw new DmsError('forbidden', '/metrics answers direct connections from this host only; set METRICS_TOKEN to scrape it from elsewhere.');
  }
}
