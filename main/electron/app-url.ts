// What an app:// URL means: the renderer's own origin (app://lemari), which file of the
// built renderer a path names (refusing any way out of that folder), the document routes,
// and HTTP Range parsing for the PDF bytes. Pure, so every refusal is unit-tested without
// Electron.

import nodePath from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'lemari';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_ENTRY = `${APP_ORIGIN}/index.html`;

/** The parts of node:path the resolver needs; tests pass path.win32 to check Windows rules on Linux. */
type PathApi = Pick<typeof nodePath, 'join' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * True only for URLs of the renderer's origin. Parsed, never prefix-matched: "app://lemari.evil",
 * "app://lemari@evil" and "app://lemari:81" are other origins.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // app: is not one of the WHATWG "special" schemes, so URL.origin is opaque ("null") here
  // and the parts are compared one by one.
  return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname === APP_HOST && parsed.port === '' && parsed.username === '' && parsed.password === '';
}

export type AppRoute =
  /** A file of the built renderer; `fallback` (index.html) serves client-side routes like /employees/123. */
  | { kind: 'file'; path: string; fallback: string | null }
  | { kind: 'document-content'; id: number }
  | { kind: 'document-thumbnail'; id: number }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

const DOCUMENT_ID = /^[1-9]\d{0,14}$/;

/** Decides what an app:// request is for; `rendererDir` is the absolute path of out/renderer. */
export function routeAppUrl(url: string, rendererDir: string, path: PathApi = nodePath): AppRoute {
  if (!isAppUrl(url)) return { kind: 'forbidden' };
  const segments: string[] = [];
  for (const raw of new URL(url).pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'forbidden' };
    }
    // Decoding can smuggle in what the URL parser already normalised away (%2e%2e, %2f,
    // %5c), and ':' would name a Windows drive or alternate data stream.
    if (segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) return { kind: 'forbidden' };
    segments.push(segment);
  }

  // Only the exact byte routes are claimed, so a client-side route such as /documents/12
  // still reaches index.html on reload.
  if (segments.length === 3 && segments[0] === 'documents' && DOCUMENT_ID.test(segments[1])) {
    if (segments[2] === 'content') return { kind: 'document-content', id: Number(segments[1]) };
    if (segments[2] === 'thumbnail') return { kind: 'document-thumbnail', id: Number(segments[1]) };
  }

  const index = path.join(rendererDir, 'index.html');
  if (segments.length === 0) return { kind: 'file', path: index, fallback: null };
  const file = path.join(rendererDir, ...segments);
  const relative = path.relative(rendererDir, file);
  // Belt and braces after the segment check: whatever join made of it must stay inside.
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return { kind: 'forbidden' };
  const last = segments[segments.length - 1];
  return { kind: 'file', path: file, fallback: last.includes('.') ? null : index };
}

export type RangeRequest = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads a Range header against a body of `size` bytes (RFC 9110 14.2). Only one byte range
 * is served; anything the server may ignore (other units, several ranges, bad syntax) gets
 * the whole body. `end` is inclusive, as in the header and in fs.createReadStream.
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'full' };
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!match) return { kind: 'full' };
  const [, first, last] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  // WebAssembly.instantiateStreaming (pdf.js's decoders) refuses any other type.
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
};

/** The Content-Type of a renderer file; with nosniff set, the browser trusts exactly this. */
export function contentTypeFor(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
}
