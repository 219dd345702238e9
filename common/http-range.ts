// HTTP Range parsing (RFC 9110 14.2), one definition for every place that serves document
// bytes: the workstation's shells (main/shells/http.ts) and the central server's
// downloads. Pure: no Node, no DOM.

export type RangeRequest = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads a Range header against a body of `size` bytes (RFC 9110 14.2). One byte range is
 * served; what a server may ignore (other units, several ranges, bad syntax) gets the whole
 * body. A first byte at or past the end is unsatisfiable (416), open-ended or not. `end`
 * is inclusive, as in the header and in fs.createReadStream.
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
  const end = last === '' ? size - 1 : Number(last);
  // Checked before end < start: for "bytes=N-" past the end, end (size - 1) is below start,
  // and reading that as a bad range would send the whole body instead of a 416.
  if (start >= size) return { kind: 'unsatisfiable' };
  if (end < start) return { kind: 'full' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}
