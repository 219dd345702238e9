// HTTP helpers of the browser host: the security headers every response carries and the
// small request/response chores node:http leaves to us. The renderer's CSP, content types
// and Range parsing live in main/shells/http.ts, shared with the Electron shell, so the
// renderer meets the same rules in both hosts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { RENDERER_HEADERS } from '../shells/http';

// The policy, content types and Range parsing are the Electron shell's too (main/shells/http.ts).
export { RENDERER_CSP, contentTypeFor, parseRange, type RangeRequest } from '../shells/http';

/** The renderer's headers, and: no other origin may embed what this server sends. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...RENDERER_HEADERS,
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export class BodyTooLargeError extends Error {}

/** Reads a small body (a contract call's JSON) into memory, refusing more than maxBytes. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads one cookie from a Cookie header without trusting its shape. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** RFC 6266 / 5987: a plain ASCII fallback and the exact UTF-8 name. */
export function inlineDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
