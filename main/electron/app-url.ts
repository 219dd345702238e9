// What an app:// URL means: the renderer's own origin (app://lemari), which file of the
// built renderer a path names (refusing any way out of that folder) and the document
// routes. Pure, so every refusal is unit-tested without Electron. Range parsing and content
// types are shared with the browser host: main/shells/http.ts.

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
