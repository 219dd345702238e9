// Request limits for the routes that take credentials, shared by every node: fixed-window
// counters in the database, one per route and client address and one per route and NIP,
// so guessing passwords or flooding someone's mailbox is slowed however many nodes stand
// behind the address. Over the limit: 429 rate_limited with Retry-After.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db';
import { DmsError } from './errors';

export interface RateLimitConfig {
  windowSeconds: number;
  /** Requests per window from one client address to one route (an office behind one NAT shares it); 0: no limit. */
  perAddress: number;
  /** Requests per window naming one NIP on one route; 0: no limit. */
  perNip: number;
}

export interface RateLimiter {
  /** Counts the request against each key; the seconds to wait when one is over its limit, else 0. */
  hit(keys: { key: string; limit: number }[]): Promise<number>;
}

export function rateLimiter(db: Db, config: RateLimitConfig, now: () => number): RateLimiter {
  const windowMs = config.windowSeconds * 1000;
  let prunedWindow = 0;
  return {
    async hit(keys) {
      if (keys.length === 0 || windowMs === 0) return 0;
      const at = now();
      const windowStart = Math.floor(at / windowMs) * windowMs;
      const values = keys.map((_, i) => `($${i + 2}, $1::timestamptz, 1)`).join(', ');
      // One statement for every key; a row left from an earlier window starts again at 1.
      const { rows } = await db.query<{ key: string; hits: number }>(
        `insert into rate_limits (key, window_start, hits) values ${values}
         on conflict (key) do update set
           hits = case when rate_limits.window_start = excluded.window_start then rate_limits.hits + 1 else 1 end,
           window_start = excluded.window_start
         returning key, hits`,
        [new Date(windowStart).toISOString(), ...keys.map((k) => k.key)],
      );
      if (windowStart > prunedWindow) {
        prunedWindow = windowStart;
        await db.query('delete from rate_limits where window_start < $1', [new Date(windowStart).toISOString()]);
      }
      const limits = new Map(keys.map((k) => [k.key, k.limit]));
      const over = rows.some((row) => row.hits > limits.get(row.key)!);
      return over ? Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) : 0;
    },
  };
}

/** The NIP a request names, when its body has one of a plausible size. */
function nipOf(request: FastifyRequest): string | null {
  const body = request.body as { nip?: unknown } | null | undefined;
  return body && typeof body === 'object' && typeof body.nip === 'string' && body.nip.length <= 40 ? body.nip : null;
}

/**
 * Limits the routes `applies` picks (by their name in the route table), after the body is
 * parsed and before the handler runs. Registered before the routes it limits.
 */
export function registerRateLimit(app: FastifyInstance, limiter: RateLimiter, config: RateLimitConfig, applies: (routeName: string) => boolean): void {
  app.addHook('preHandler', async (request) => {
    const route = (request.routeOptions.config as { routeName?: string }).routeName;
    if (!route || !applies(route)) return;
    const nip = nipOf(request);
    const keys = [
      { key: `${route}|ip|${request.ip}`, limit: config.perAddress },
      ...(nip === null ? [] : [{ key: `${route}|nip|${nip}`, limit: config.perNip }]),
    ].filter((k) => k.limit > 0); // 0: no limit of that kind
    const retryAfter = await limiter.hit(keys);
    if (retryAfter > 0) {
      throw new DmsError('rate_limited', `Too many requests; try again in ${retryAfter} s.`, { retryAfterSeconds: retryAfter }, { 'retry-after': String(retryAfter) });
    }
  });
}
