import { describe, expect, it } from 'vitest';
import { DOCUMENT_HEADERS, RENDERER_CSP, RENDERER_HEADERS, parseCsp } from './csp';

describe('renderer CSP', () => {
  const csp = parseCsp(RENDERER_CSP);

  it('is the agreed policy, directive by directive', () => {
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", "'wasm-unsafe-eval'"],
      'worker-src': ["'self'"],
      'img-src': ["'self'", 'blob:', 'data:'],
      'style-src': ["'self'", "'unsafe-inline'"],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'none'"],
    });
  });

  it('allows no eval, no inline script and no remote origin anywhere', () => {
    for (const [name, sources] of csp) {
      for (const source of sources) {
        expect(source, name).not.toMatch(/^'unsafe-eval'$|^\*$|^https?:|^wss?:|^file:/);
        if (name === 'script-src') expect(source).not.toBe("'unsafe-inline'");
      }
    }
  });

  it('travels on renderer files; documents get a sandbox and no caching', () => {
    expect(RENDERER_HEADERS['Content-Security-Policy']).toBe(RENDERER_CSP);
    expect(RENDERER_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(parseCsp(DOCUMENT_HEADERS['Content-Security-Policy']).has('sandbox')).toBe(true);
    expect(DOCUMENT_HEADERS['Cache-Control']).toBe('no-store');
  });
});
