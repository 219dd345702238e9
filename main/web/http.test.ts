// The browser host's small HTTP helpers: Range parsing at its edges, cookie reading and the
// Content-Disposition of names a scanner writes.
import { describe, expect, it } from 'vitest';
import { contentTypeFor, cookieValue, inlineDisposition, parseRange } from './http';

describe('parseRange', () => {
  it('serves one byte range and the whole body for what it may ignore', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ kind: 'partial', start: 50, end: 99 });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=9-1', 100)).toEqual({ kind: 'full' });
  });

  it('says unsatisfiable for a start at or past the end, open-ended or not', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=150-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('headers', () => {
  it('reads one cookie among others without being fooled by look-alike names', () => {
    expect(cookieValue('a=1; lemari_session_80=abc; b=2', 'lemari_session_80')).toBe('abc');
    expect(cookieValue('xlemari_session_80=abc', 'lemari_session_80')).toBeNull();
    expect(cookieValue(undefined, 'x')).toBeNull();
  });

  it('keeps the exact file name for the browser and a safe ASCII fallback', () => {
    expect(inlineDisposition('SK "PNS" Budi—2015.pdf')).toBe(`inline; filename="SK _PNS_ Budi_2015.pdf"; filename*=UTF-8''SK%20%22PNS%22%20Budi%E2%80%942015.pdf`);
  });

  it('names the types pdf.js needs exactly', () => {
    expect(contentTypeFor('a/b/openjpeg.wasm')).toBe('application/wasm');
    expect(contentTypeFor('pdf.worker.min.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('FoxitSans.pfb')).toBe('application/octet-stream');
  });
});
