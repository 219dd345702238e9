// The response headers app:// puts on what it serves. The renderer's Content Security
// Policy is the last line if a document or a dependency ever manages to inject markup: no
// script but our own files (pdf.js needs WebAssembly, not eval), no network but our origin,
// no plugins, no framing, no form posts.

const RENDERER_CSP_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'img-src': ["'self'", 'blob:', 'data:'],
  // React and the PDF text layer set style attributes at run time.
  'style-src': ["'self'", "'unsafe-inline'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'none'"],
};

export const RENDERER_CSP = Object.entries(RENDERER_CSP_DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');

/** Headers on every renderer file. */
export const RENDERER_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

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

/** Splits a policy back into directives; used by tests and by anyone auditing a response. */
export function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}
