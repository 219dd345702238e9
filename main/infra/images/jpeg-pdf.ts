// A JPEG as a one-page PDF, written directly: the five objects such a file needs (catalog,
// page tree, page, image, content stream), the JPEG bytes untouched as the image's
// DCTDecode stream, and the cross-reference table. pdf-lib builds the same thing through
// an object model, a serializer and a copy of the image; for the many JPEG scans of an
// import that cost more than everything else about them but the hash and the fsync
// (docs/PERFORMANCE.md, "import"). The output has no dates or producer, so the same JPEG
// always gives the same PDF (and the same hash).
import type { JpegInfo } from './jpeg';

const COLOR_SPACES: Record<number, string> = { 1: '/DeviceGray', 3: '/DeviceRGB', 4: '/DeviceCMYK' };

/** A PDF number: integers as they are, others to four decimals without trailing zeros. */
export function pdfNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

/** The PDF of one page `pageWidth`×`pageHeight` points showing the JPEG edge to edge. */
export function jpegToPdf(jpeg: Uint8Array, info: Pick<JpegInfo, 'width' | 'height' | 'components' | 'adobe'>, pageWidth: number, pageHeight: number): Uint8Array {
  const colorSpace = COLOR_SPACES[info.components];
  if (!colorSpace) throw new Error(`a JPEG of ${info.components} components has no PDF colour space`);
  const [w, h] = [pdfNumber(pageWidth), pdfNumber(pageHeight)];
  // Adobe software writes CMYK JPEGs with the inks inverted; the Decode array turns them back.
  const decode = info.components === 4 && info.adobe ? ' /Decode [1 0 1 0 1 0 1 0]' : '';
  const content = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
  const texts = [
    // The second line's bytes above 127 tell transfer programs the file is binary.
    '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n',
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    `3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>\nendobj\n`,
    `4 0 obj\n<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace ${colorSpace} /BitsPerComponent 8${decode} /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
  ];
  const head = Buffer.from(texts.join(''), 'latin1');
  const tailText = `\nendstream\nendobj\n5 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`;
  // Where each object starts: objects 1-4 in the head, 5 after the image bytes.
  const offsets: number[] = [];
  let at = 0;
  for (const [index, text] of texts.entries()) {
    if (index > 0) offsets.push(at);
    at += Buffer.byteLength(text, 'latin1');
  }
  const fifth = head.length + jpeg.length + '\nendstream\nendobj\n'.length;
  offsets.push(fifth);
  const xrefAt = head.length + jpeg.length + tailText.length;
  // Each cross-reference entry is exactly 20 bytes: 10-digit offset, generation, n/f, space, newline.
  const entry = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n \n`;
  const xref = `xref\n0 6\n0000000000 65535 f \n${offsets.map(entry).join('')}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([head, jpeg, Buffer.from(tailText + xref, 'latin1')]);
}
