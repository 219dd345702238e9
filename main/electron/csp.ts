// The response headers app:// puts on what it serves. The renderer's Content Security
// Policy (shared with the browser host: main/shells/http.ts) is the last line if a document
// or a dependency ever manages to inject markup: no script but our own files (pdf.js needs
// WebAssembly, not eval), no network but our origin, no plugins, no framing, no form posts.

export { RENDERER_CSP, RENDERER_HEADERS, parseCsp } from '../shells/http';

/**
 * Headers on document bytes and thumbnails: personal data, so never cached; and should one
 * ever be opened as a page rather than fetched, it runs nothing.
 */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};
