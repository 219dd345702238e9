// What both shells serve the renderer with, in one place: its Content Security Policy and
// the security headers around it, the Content-Types of the built renderer's files, and
// HTTP Range parsing for the PDF bytes. The Electron shell (app://, main/electron) and the
// browser host (http://127.0.0.1, main/web) import these, so the renderer meets the same
// rules in both, and a Range fix lands in both at once. Pure: no Node, no Electron.

/** The renderer's policy, directive by directive; see docs/SECURITY.md for why each one. */
export const RENDERER_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  // pdf.js compiles its image decoders from WebAssembly; no eval otherwise.
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

/** Headers on every renderer file, in both shells. */
export const RENDERER_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
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

const CONTENT_TYPES: Readonly<Record<string, string>> = {
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

// One Range parser for the workstation's shells and the central server's downloads.
export { parseRange, type RangeRequest } from '../../common/http-range';
