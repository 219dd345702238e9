// Walks a PNG's chunks before pdf-lib decodes it: checks every CRC and the closing IEND
// (a cut-off file otherwise decodes into a half-grey page without complaint), reads the
// size to refuse giant images before allocating them, and the pHYs resolution.

import { crc32 } from 'node:zlib';
import { badImage, checkPixels, plausibleDpi } from './problem';

export interface PngInfo {
  width: number;
  height: number;
  dpi: { x: number | null; y: number | null };
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

export function readPngInfo(bytes: Uint8Array): PngInfo {
  if (!SIGNATURE.every((value, index) => bytes[index] === value)) throw badImage('PNG: bad signature');
  let pos = 8;
  let size: { width: number; height: number } | null = null;
  let dpi: PngInfo['dpi'] = { x: null, y: null };
  let hasData = false;
  while (pos + 12 <= bytes.length) {
    const length = u32(bytes, pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const dataEnd = pos + 8 + length;
    if (dataEnd + 4 > bytes.length) throw badImage(`PNG: chunk ${type} runs past the end of the file`);
    if (crc32(bytes.subarray(pos + 4, dataEnd)) !== u32(bytes, dataEnd)) throw badImage(`PNG: chunk ${type} is damaged (CRC)`);
    const data = bytes.subarray(pos + 8, dataEnd);
    if (type === 'IHDR' && length >= 8) size = { width: u32(data, 0), height: u32(data, 4) };
    else if (type === 'IDAT') hasData = true;
    else if (type === 'pHYs' && length >= 9 && data[8] === 1) {
      // Pixels per metre.
      dpi = { x: plausibleDpi(u32(data, 0) * 0.0254), y: plausibleDpi(u32(data, 4) * 0.0254) };
    } else if (type === 'IEND') {
      if (!size) throw badImage('PNG: no IHDR chunk');
      if (!hasData) throw badImage('PNG: no image data');
      checkPixels(size.width, size.height);
      return { ...size, dpi };
    }
    pos = dataEnd + 4;
  }
  throw badImage('PNG: truncated, no IEND chunk');
}
