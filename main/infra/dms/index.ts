// The workstation's HTTP client of the central DMS API, built from the route table in
// common/dms: a call names a route, and the path, method, query string, body and answer
// schema all come from its declaration. Failures come back as DmsCallError with the
// server's machine-readable code, or `network` / `timeout` when no answer arrived, so the
// sync engine can tell "retry later" from "this document is rejected".
import type { z } from 'zod';
import { dmsRoutes, isDmsErrorCode, type DmsErrorCode, type DmsRouteName, type DmsRoutes, type RouteDef } from '../../../common/dms';

type InputOf<R extends RouteDef> = (R['params'] extends z.ZodType ? { params: z.input<R['params']> } : { params?: undefined }) &
  (R['query'] extends z.ZodType ? { query?: z.input<R['query']> } : { query?: undefined }) &
  (R['body'] extends z.ZodType ? { body: z.input<R['body']> } : { body?: undefined });

export type DmsInput<N extends DmsRouteName> = InputOf<DmsRoutes[N]>;
export type DmsOutput<N extends DmsRouteName> = DmsRoutes[N]['response'] extends z.ZodType ? z.output<DmsRoutes[N]['response']> : Response;

export type DmsFailure = DmsErrorCode | 'network' | 'timeout' | 'bad_response';

export class DmsCallError extends Error {
  constructor(
    readonly code: DmsFailure,
    message: string,
    readonly status: number | null,
    readonly details?: Record<string, unknown>,
    /** From Retry-After, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DmsCallError';
  }

  /** Worth trying again later: no answer, overload, or a server fault. A 4xx is not. */
  get retryable(): boolean {
    return this.code === 'network' || this.code === 'timeout' || this.code === 'rate_limited' || this.code === 'unavailable' || (this.status !== null && this.status >= 500);
  }
}

export interface DmsClientOptions {
  /** The server's base address, e.g. https://dms.example.go.id (no trailing /v1). */
  baseUrl: string;
  /** The current access token, if any; sent as a bearer token to non-public routes. */
  token?: () => string | null | undefined;
  /** Per-request limit; slow office links need a long one. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Fills `:name` segments of a route path; each value is URL-encoded. */
export function routePath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`route parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function createDmsClient(options: DmsClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function send<N extends DmsRouteName>(name: N, input: DmsInput<N>, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
    const def: RouteDef = dmsRoutes[name];
    const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    let url = base + routePath(def.path, params);
    if (query) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) search.set(key, String(value));
      const text = search.toString();
      if (text) url += `?${text}`;
    }
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    const token = def.access === 'public' ? null : options.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(url, { method: def.method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (init.signal?.aborted) throw error; // the caller cancelled: not a failure to report
      const timedOut = timeout.aborted;
      throw new DmsCallError(timedOut ? 'timeout' : 'network', timedOut ? `No answer from ${base} in time.` : `Cannot reach ${base}: ${(error as Error).message}`, null);
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  return {
    baseUrl: base,

    /** Calls a JSON route and returns its answer, parsed with the route's schema. */
    async call<N extends DmsRouteName>(name: N, input: DmsInput<N>, init?: { signal?: AbortSignal }): Promise<DmsOutput<N>> {
      const res = await send(name, input, init);
      const schema = dmsRoutes[name].response as z.ZodType | null;
      if (schema === null) return res as DmsOutput<N>;
      return (await readAnswer(res, name, schema, base, init?.signal)) as DmsOutput<N>;
    },

    /** Calls a byte route (response: null): the raw Response, body unread. */
    async stream<N extends DmsRouteName>(name: N, input: DmsInput<N>, init?: { signal?: AbortSignal; headers?: Record<string, string> }): Promise<Response> {
      return send(name, input, init);
    },
  };
}

export type DmsClient = ReturnType<typeof createDmsClient>;

/**
 * The text of an answer's body. A body that stops arriving (the link cut, the request's time
 * up) is the link's failure, `network` or `timeout`, which the engine retries: the request
 * may well have done its work (a document created), and only a retry with the same key
 * learns so. Only a body that arrived whole can be a `bad_response`.
 */
async function bodyText(res: Response, name: string, base: string, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await res.text();
  } catch (error) {
    if (signal?.aborted) throw error; // cancelled by the caller
    throw cutOff(error, `The answer of ${base} to ${name}`);
  }
}

/** A body that stopped arriving, as the link's failure. */
function cutOff(error: unknown, what: string): DmsCallError {
  const timedOut = (error as Error).name === 'TimeoutError';
  return new DmsCallError(timedOut ? 'timeout' : 'network', `${what} was cut off (${timedOut ? 'the time ran out' : (error as Error).message}).`, null);
}

/** A successful answer's body, parsed with its route's schema; see bodyText for a body cut short. */
export async function readAnswer<T>(res: Response, name: string, schema: z.ZodType<T>, base: string, signal?: AbortSignal): Promise<T> {
  const text = await bodyText(res, name, base, signal);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DmsCallError('bad_response', `The server's answer to ${name} is not JSON.`, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DmsCallError('bad_response', `The server's answer to ${name} does not match the API: ${parsed.error.issues[0]?.message ?? ''}`, res.status);
  return parsed.data;
}

/**
 * The `error` of the API's error body as a DmsCallError; null when it is not one (no
 * object, or a code the API does not have). Also an item's error in a documents.sendBatch
 * answer, whose status is its code's.
 */
export function apiError(error: unknown, status: number | null, wait?: number): DmsCallError | null {
  const body = error as { code?: unknown; message?: unknown; details?: unknown } | null | undefined;
  if (!body || typeof body.code !== 'string' || !isDmsErrorCode(body.code)) return null;
  return new DmsCallError(body.code, String(body.message ?? body.code), status, (body.details as Record<string, unknown>) ?? undefined, wait);
}

/** A failed answer as a DmsCallError: the API's error body, or the status of a proxy's page; a body cut short is the link's failure. */
export async function errorOf(res: Response): Promise<DmsCallError> {
  const wait = retryAfter(res.headers.get('retry-after'));
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    return cutOff(error, `An error answer (HTTP ${res.status})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const known = apiError((body as { error?: unknown } | null)?.error, res.status, wait);
  if (known) return known;
  // A proxy's 502 page, or a server that is not Lemari's.
  const code: DmsFailure = res.status >= 500 ? 'unavailable' : 'bad_response';
  return new DmsCallError(code, `HTTP ${res.status} ${res.statusText}`.trim(), res.status, undefined, wait);
}
