// The browser host's HTTP server: the built renderer as static files, and the contract over
// HTTP on 127.0.0.1 for a page that proved it holds this run's secret token.
//
// Who may reach it: the URL printed at start carries a random token in its #fragment (never
// sent to a server, never in a Referer). The page trades it once at POST /api/session for an
// HttpOnly SameSite=Strict cookie and drops it from the address bar. Every /api/* request
// needs that cookie (or the token as a Bearer header, for scripts and tests), a Host header
// naming this very listener (so a DNS-rebound name cannot reach it) and, where a browser
// says where it comes from, our own origin.
//
// Who is calling: each cookie is one login Session (main/access.ts), logged out until the
// user signs in through the auth.* calls; the Bearer token has one Session of its own.
// main/api.ts checks every call against it; uploads, document bytes and the event stream
// are checked here against the same rules.
//
// Routes:
//   POST /api/session                     Bearer token -> session cookie
//   POST /api/call/<method>               JSON input -> the Result of profile.api.call
//   GET  /api/events                      Server-Sent Events: every event the profile emits
//   PUT  /api/staging?name=<file name>    the raw bytes of one upload -> Result<{ stagedId, size }>
//   GET  /api/documents/<id>/content      the stored PDF (Range supported), audited
//   GET  /api/documents/<id>/thumbnail    PNG, or 404

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, isAbsolute, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { contract, type EventName } from '../../common/contract';
import { AppError, fail, type ErrorCode, type Result } from '../../common/errors';
import { formatBytes, t, type MessageKey, type MessageParams } from '../../common/i18n';
import { authorize, refusalCode, type Session } from '../access';
import type { Api, Logger } from '../api';
import type { SettingsStore } from '../infra/settings';
import {
  BodyTooLargeError,
  SECURITY_HEADERS,
  contentTypeFor,
  cookieValue,
  inlineDisposition,
  parseRange,
  readBody,
  sendJson,
} from './http';

/** What the server needs of a profile (main/profile.ts's Profile has all of it). */
export interface WebProfile {
  api: Pick<Api, 'call'>;
  newSession(): Session;
  events: { subscribe(listener: (name: EventName, payload: unknown) => void): () => void };
  staging: { receive(body: Readable, maxBytes: number): Promise<{ id: string; size: number }> };
  documentContent(
    id: number,
    session: Session,
  ): Promise<{ size: number; name: string; stream(range?: { start: number; end: number }): NodeJS.ReadableStream }>;
  thumbnail(id: number, session: Session): Promise<Buffer | null>;
}

export interface WebServerOptions {
  profile: WebProfile;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  settings: Pick<SettingsStore, 'get'>;
  logger: Logger;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Tests may pin it; otherwise 32 random bytes per run. */
  token?: string;
}

export interface WebServer {
  port: number;
  origin: string;
  token: string;
  /** The address to open: the origin with the token in the fragment. */
  url: string;
  close(): Promise<void>;
}

/** Uploads and the event stream are for signed-in users, whatever their role. */
const SIGNED_IN = contract['reference.get'].access;
const MAX_CALL_BODY = 1024 * 1024;
const HEARTBEAT_MS = 20_000;
const DOCUMENT_ID = /^[1-9]\d{0,14}$/;

const STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported: 415,
  io: 500,
  internal: 500,
};

/** Compares secrets in constant time whatever their lengths. */
function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { profile, rendererDir, settings, logger } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sessions = new Map<string, Session>();
  let bearerSession: Session | null = null;
  const streams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  // Cookies are not scoped by port: two hosts on 127.0.0.1 would overwrite one name.
  let cookieName = 'lemari_session';

  const translate = (key: MessageKey, params?: MessageParams) => t(settings.get().locale, key, params);

  function sendResult(res: ServerResponse, result: Result<unknown>, headers: Record<string, string> = {}): void {
    sendJson(res, result.ok ? 200 : STATUS_OF[result.error.code], result, headers);
  }

  function sendError(res: ServerResponse, code: ErrorCode, message: string, status = STATUS_OF[code]): void {
    sendJson(res, status, fail(code, message));
  }

  function notAllowed(req: IncomingMessage, res: ServerResponse): void {
    sendError(res, 'unsupported', translate('web.method', { method: req.method ?? '' }), 405);
  }

  function notFound(res: ServerResponse, path: string): void {
    sendError(res, 'not_found', translate('web.not_found', { path }));
  }

  function sendThrown(res: ServerResponse, error: unknown, what: string): void {
    if (error instanceof AppError) return sendError(res, error.code, error.message);
    logger.error(`web: ${what} failed`, error);
    if (!res.headersSent) sendError(res, 'internal', translate('error.internal'));
    else res.destroy();
  }

  /** The caller's login session, or null for a request that proved nothing. */
  function sessionOf(req: IncomingMessage): Session | null {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), token)) return (bearerSession ??= profile.newSession());
    const id = cookieValue(req.headers.cookie, cookieName);
    return (id !== null && sessions.get(id)) || null;
  }

  /** Sends the refusal and returns true when the session may not use a signed-in route. */
  function refused(res: ServerResponse, session: Session): boolean {
    const refusal = authorize(SIGNED_IN, session);
    if (!refusal) return false;
    sendError(res, refusalCode(refusal), translate(`access.${refusal}`, { role: session.user ? translate(`role.${session.user.role}`) : '' }));
    return true;
  }

  /** Refuses what did not come from a page of this very host (DNS rebinding, cross-site requests). */
  function foreign(req: IncomingMessage): boolean {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) return true;
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) return true;
    const site = req.headers['sec-fetch-site'];
    return site === 'cross-site' || site === 'same-site';
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return notAllowed(req, res);
    const segments: string[] = [];
    for (const raw of pathname.split('/')) {
      if (raw === '') continue;
      let segment: string;
      try {
        segment = decodeURIComponent(raw);
      } catch {
        return sendError(res, 'forbidden', translate('web.forbidden'));
      }
      // Decoding can smuggle back what URL parsing normalised away (%2e%2e, %2f, %5c).
      if (segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) return sendError(res, 'forbidden', translate('web.forbidden'));
      segments.push(segment);
    }
    const file = segments.length === 0 ? join(rendererDir, 'index.html') : join(rendererDir, ...segments);
    const inside = relative(rendererDir, file);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return sendError(res, 'forbidden', translate('web.forbidden'));
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound(res, pathname);
    // Vite names built assets by content hash: they never change; the page itself may.
    const immutable = segments[0] === 'assets';
    res.writeHead(200, {
      'Content-Type': contentTypeFor(file),
      'Content-Length': info.size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(file), res);
  }

  function openSession(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') return notAllowed(req, res);
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ') || !sameSecret(auth.slice(7).trim(), token)) return sendError(res, 'unauthenticated', translate('web.unauthenticated'));
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, profile.newSession());
    sendResult(res, { ok: true, value: {} }, { 'Set-Cookie': `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Strict` });
  }

  async function call(req: IncomingMessage, res: ServerResponse, session: Session, method: string): Promise<void> {
    if (req.method !== 'POST') return notAllowed(req, res);
    let input: unknown = {};
    try {
      const body = await readBody(req, MAX_CALL_BODY);
      if (body.length > 0) input = JSON.parse(body.toString('utf8'));
    } catch (error) {
      const detail = error instanceof BodyTooLargeError ? `> ${formatBytes(MAX_CALL_BODY, settings.get().locale)}` : 'JSON';
      return sendError(res, 'invalid_input', translate('error.invalid_input', { detail }));
    }
    // A long call (an import of thousands of files) stops when the page goes away.
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const result = await profile.api.call(method, input, { session, signal: controller.signal });
    if (!res.destroyed) sendResult(res, result);
  }

  function eventStream(req: IncomingMessage, res: ServerResponse, session: Session): void {
    if (req.method !== 'GET') return notAllowed(req, res);
    if (refused(res, session)) return;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = profile.events.subscribe((name, payload) => {
      // After a logout (or the idle lock) in this tab, nothing more flows to it.
      if (authorize(SIGNED_IN, session)) return void res.end();
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    // Comments keep idle proxies and the browser from deciding the stream is dead.
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  }

  async function stage(req: IncomingMessage, res: ServerResponse, session: Session): Promise<void> {
    if (req.method !== 'PUT') return notAllowed(req, res);
    if (refused(res, session)) return;
    const { maxFileBytes, locale } = settings.get();
    const tooLarge = (size: number) =>
      sendError(res, 'invalid_input', translate('import.too_large', { size: formatBytes(size, locale), max: formatBytes(maxFileBytes, locale) }), 413);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxFileBytes) {
      res.setHeader('Connection', 'close');
      return tooLarge(declared);
    }
    try {
      const staged = await profile.staging.receive(req, maxFileBytes);
      sendResult(res, { ok: true, value: { stagedId: staged.id, size: staged.size } });
    } catch (error) {
      if (error instanceof RangeError) {
        res.setHeader('Connection', 'close');
        return tooLarge(maxFileBytes + 1);
      }
      sendThrown(res, error, 'staging upload');
    }
  }

  async function documentContent(req: IncomingMessage, res: ServerResponse, session: Session, id: number): Promise<void> {
    if (req.method !== 'GET') return notAllowed(req, res);
    const content = await profile.documentContent(id, session);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/pdf',
      'Content-Disposition': inlineDisposition(content.name),
      'Cache-Control': 'no-store',
      'Accept-Ranges': 'bytes',
      // Should the bytes ever be opened as a page rather than fetched, they run nothing.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    };
    const range = parseRange(req.headers.range, content.size);
    if (range.kind === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${content.size}`, 'Content-Length': 0 });
      return void res.end();
    }
    if (range.kind === 'partial') {
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${content.size}`, 'Content-Length': range.end - range.start + 1 });
      return pipeline(content.stream({ start: range.start, end: range.end }), res);
    }
    res.writeHead(200, { ...headers, 'Content-Length': content.size });
    await pipeline(content.stream(), res);
  }

  async function thumbnail(req: IncomingMessage, res: ServerResponse, session: Session, id: number): Promise<void> {
    if (req.method !== 'GET') return notAllowed(req, res);
    const png = await profile.thumbnail(id, session);
    if (!png) return sendError(res, 'not_found', translate('documents.not_found', { id }));
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'no-store' });
    res.end(png);
  }

  async function api(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    if (segments[1] === 'session' && segments.length === 2) return openSession(req, res);
    const session = sessionOf(req);
    if (!session) return sendError(res, 'unauthenticated', translate('web.unauthenticated'));
    const [, route, a, b] = segments;
    if (route === 'call' && segments.length === 3) return call(req, res, session, a);
    if (route === 'events' && segments.length === 2) return eventStream(req, res, session);
    if (route === 'staging' && segments.length === 2) return stage(req, res, session);
    if (route === 'documents' && segments.length === 4 && DOCUMENT_ID.test(a)) {
      if (b === 'content') return documentContent(req, res, session, Number(a));
      if (b === 'thumbnail') return thumbnail(req, res, session, Number(a));
    }
    notFound(res, `/${segments.join('/')}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (foreign(req)) return sendError(res, 'forbidden', translate('web.forbidden'));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return sendError(res, 'invalid_input', translate('web.bad_request'));
    }
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments[0] === 'api') {
      let decoded: string[];
      try {
        decoded = segments.map(decodeURIComponent);
      } catch {
        return sendError(res, 'invalid_input', translate('web.bad_request'));
      }
      return api(req, res, decoded);
    }
    return serveStatic(req, res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendThrown(res, error, `${req.method} ${req.url}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));
  cookieName = `lemari_session_${port}`;
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    token,
    url: `${origin}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Event streams and in-flight downloads would otherwise hold close() open.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}
