// The server's structured JSON logs (Fastify's pino): what each request line carries, the
// request id (a caller's `x-request-id` when it is sane, else a fresh one), and the
// redaction that keeps credentials out of the log: Authorization and cookies, passwords,
// TOTP and reset codes, tokens, wherever a handler or an error happens to put them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { isDmsErrorCode } from '../../common/dms/errors';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Field names whose values are secrets, at any depth a log object may nest them. */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'oldPassword',
  'passwordHash',
  'otp',
  'totp',
  'totpCode',
  'totpSecret',
  'mfaCode',
  'resetCode',
  'recoveryCode',
  'recoveryCodes',
  'stepToken',
  'otpauthUri',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'set-cookie',
];

/** Query parameters whose values are secrets (a signed link, a code in a mailed URL). */
const SECRET_QUERY = new Set(['token', 'code', 'password', 'otp', 'signature', 'sig', 'access_token', 'refresh_token']);

const CENSOR = '[Redacted]';

/** Paths for pino's redact: every secret key at the top and up to three objects down. */
function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of [...SECRET_KEYS, 'code']) {
    const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const dot = k.startsWith('[') ? '' : '.';
    paths.push(k, `*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`);
  }
  return paths;
}

/**
 * A field called `code` is a secret in a login or reset body, and an error code everywhere
 * else. Error codes stay readable: the API's own (`invalid_input`) and Node's, Fastify's
 * and libraries' (`ECONNREFUSED`, `FST_ERR_CTP_INVALID_JSON_BODY`); anything else goes.
 */
function censor(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] !== 'code') return CENSOR;
  if (typeof value === 'string' && (isDmsErrorCode(value) || /^[A-Z][A-Z0-9_]+$/.test(value))) return value;
  return CENSOR;
}

/** The URL as logged: the values of secret query parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      return eq >= 0 && SECRET_QUERY.has(name) ? `${pair.slice(0, eq)}=${CENSOR}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Pino options for Fastify's logger: level, redaction and the request line's fields. */
export function loggerOptions(level: string): Record<string, unknown> {
  return {
    level,
    redact: { paths: redactPaths(), censor },
    serializers: {
      // Never the headers: the request line carries what an operator needs and no secret.
      req: (req: Partial<FastifyRequest>) => ({
        method: req.method,
        url: typeof req.url === 'string' ? redactUrl(req.url) : undefined,
        remoteAddress: req.ip,
        userAgent: req.headers?.['user-agent'],
      }),
    },
  };
}

/**
 * The id of a request: the caller's `x-request-id` when it is short and plain (so a
 * workstation or the proxy can follow one call across logs), else a fresh UUID; a
 * header with other characters could forge log lines.
 */
export function requestId(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  if (typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given)) return given;
  return randomUUID();
}
