// The renderer's policy, content types and Range parsing that both shells serve with.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP as ELECTRON_CSP } from '../electron/csp';
import { SECURITY_HEADERS } from '../web/http';
import { RENDERER_CSP, RENDERER_HEADERS, contentTypeFor, parseCsp, parseRange } from './http';

describe('parseRange', () => {
  it('serves single byte ranges, clamped to the body', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 });
    expect(parseRange('Bytes=5-9', 1000)).toEqual({ kind: 'partial', start: 5, end: 9 });
    expect(parseRange('bytes=999-', 1000)).toEqual({ kind: 'partial', start: 999, end: 999 });
  });

  it('says unsatisfiable for a first byte at or past the end, open-ended or not', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=1500-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=1000-2000', 1000)).toEqual({ kind: 'unsatisfiable' });
    // The one header the two former copies answered differently (the Electron copy sent
    // the whole file); the browser host's 416 is what both now say.
    expect(parseRange('bytes=1500-10', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores what it may ignore and sends the whole body', () => {
    for (const header of [null, undefined, '', 'bytes=-', 'bytes=9-5', 'items=0-5', 'bytes=0-5,10-20', 'bytes=abc']) {
      expect(parseRange(header, 1000), String(header)).toEqual({ kind: 'full' });
    }
  });
});

describe('contentTypeFor', () => {
  it('names the types the renderer and pdf.js need, and nothing executable by default', () => {
    expect(contentTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/r/assets/pdf.worker.MJS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/assets/openjpeg.wasm')).toBe('application/wasm');
    expect(contentTypeFor('/r/cmaps/Adobe-GB1-UCS2.bcmap')).toBe('application/octet-stream');
    expect(contentTypeFor('/r/LICENSE')).toBe('application/octet-stream');
    expect(contentTypeFor('FoxitSans.pfb')).toBe('application/octet-stream');
  });
});

describe('one renderer policy for both shells', () => {
  it('is the same string in app:// headers, the browser host headers and the page itself', () => {
    expect(ELECTRON_CSP).toBe(RENDERER_CSP);
    expect(RENDERER_HEADERS['Content-Security-Policy']).toBe(RENDERER_CSP);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(RENDERER_CSP);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    // renderer/index.html carries the policy in a meta tag too (what a dev server or a
    // saved page would get); it must not drift from the headers.
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta).not.toBeNull();
    // frame-ancestors is ignored in a meta policy (CSP3), so only the headers carry it.
    const expected = parseCsp(RENDERER_CSP);
    expected.delete('frame-ancestors');
    expect(Object.fromEntries(parseCsp(meta![1]))).toEqual(Object.fromEntries(expected));
  });
});
