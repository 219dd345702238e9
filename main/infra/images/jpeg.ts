// Walks a JPEG's marker segments without decoding pixels: size, resolution and whether the
// file is whole. The bytes then go into the PDF untouched (DCTDecode), so this walk is the
// only check a JPEG gets; a file cut off by a failed copy has no EOI after its scan.

import { exifDpi } from './tiff';
import { badImage, checkPixels, plausibleDpi } from './problem';

export interface JpegInfo {
  width: number;
  height: number;
  dpi: { x: number | null; y: number | null };
  /** 1 grey, 3 colour (YCbCr or RGB), 4 CMYK or YCCK. */
  components: number;
  /** An Adobe APP14 segment: a 4-component image from Adobe software stores its inks inverted. */
  adobe: boolean;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const SOS = 0xda;
const EOI = 0xd9;

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

export function readJpegInfo(bytes: Uint8Array): JpegInfo {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw badImage('JPEG: no SOI marker');
  let pos = 2;
  let size: { width: number; height: number; components: number } | null = null;
  let adobe = false;
  let jfif: { x: number | null; y: number | null } | null = null;
  let exif: { x: number | null; y: number | null } | null = null;
  let scanAt = -1;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw badImage(`JPEG: no marker at byte ${pos}`);
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2;
      continue;
    }
    if (marker === EOI) throw badImage('JPEG: ends before any image data');
    const length = u16(bytes, pos + 2);
    const start = pos + 4;
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) throw badImage('JPEG: segment runs past the end of the file');
    if (marker === 0xe0 && length >= 16 && ascii(bytes, start, 5) === 'JFIF\0') {
      const units = bytes[start + 7];
      const factor = units === 1 ? 1 : units === 2 ? 2.54 : null;
      if (factor !== null) jfif = { x: plausibleDpi(u16(bytes, start + 8) * factor), y: plausibleDpi(u16(bytes, start + 10) * factor) };
    } else if (marker === 0xee && length >= 14 && ascii(bytes, start, 5) === 'Adobe') {
      adobe = true;
    } else if (marker === 0xe1 && length > 8 && ascii(bytes, start, 6) === 'Exif\0\0') {
      exif = exifDpi(bytes.subarray(start + 6, end));
    } else if (SOF_MARKERS.has(marker)) {
      if (length < 8) throw badImage('JPEG: short frame header');
      size = { height: u16(bytes, start + 1), width: u16(bytes, start + 3), components: bytes[start + 5] };
    } else if (marker === SOS) {
      scanAt = end;
      break;
    }
    pos = end;
  }
  if (!size) throw badImage('JPEG: no frame header');
  if (scanAt < 0) throw badImage('JPEG: no image data');
  if (size.components !== 1 && size.components !== 3 && size.components !== 4) throw badImage(`JPEG: ${size.components} colour components`);
  checkPixels(size.width, size.height);
  // Inside entropy-coded data a 0xFF is always stuffed or a restart marker, so an FF D9
  // after the first scan can only be the real end of image.
  if (!hasEoiAfter(bytes, scanAt)) throw badImage('JPEG: truncated, no end-of-image marker');
  return { ...size, adobe, dpi: pickDpi(jfif, exif) };
}

function hasEoiAfter(bytes: Uint8Array, from: number): boolean {
  for (let i = bytes.length - 2; i >= from; i--) if (bytes[i] === 0xff && bytes[i + 1] === EOI) return true;
  return false;
}

function pickDpi(...sources: ({ x: number | null; y: number | null } | null)[]): { x: number | null; y: number | null } {
  for (const source of sources) if (source && source.x !== null && source.y !== null) return source;
  return { x: null, y: null };
}
