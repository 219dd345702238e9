// TIFF pages as raw samples for a PDF image XObject: every page of a multi-page scan, in
// the smallest faithful form (1-bit for black-and-white, 8-bit gray, else RGB), without a
// detour through PNG.

import { createRequire } from 'node:module';
import type { IFD } from 'utif2';
import { badImage, checkPixels, ImageProblem, plausibleDpi } from './problem';

// utif2 is CommonJS that fills `module.exports` at run time, so Node's ESM loader finds no
// named exports in it; require() sees the real object.
const UTIF = createRequire(import.meta.url)('utif2') as typeof import('utif2');

export interface RawPage {
  width: number;
  height: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB';
  bitsPerComponent: 1 | 8;
  /** Rows top to bottom, no padding except 1-bit rows, which are padded to whole bytes. */
  samples: Uint8Array;
  dpi: { x: number | null; y: number | null };
}

function tagNumber(ifd: IFD, tag: string): number | null {
  const value = ifd[tag] as unknown;
  if (!Array.isArray(value) || value.length === 0) return null;
  const first = value[0] as unknown;
  // Rationals come as [numerator, denominator] pairs or already divided, by utif version.
  if (Array.isArray(first)) return first[1] ? Number(first[0]) / Number(first[1]) : null;
  return typeof first === 'number' ? first : null;
}

/** XResolution/YResolution with ResolutionUnit (2 inch, the default; 3 centimetre). */
export function tiffDpi(ifd: IFD): { x: number | null; y: number | null } {
  const unit = tagNumber(ifd, 't296') ?? 2;
  const factor = unit === 2 ? 1 : unit === 3 ? 2.54 : null;
  const read = (tag: string) => {
    const value = tagNumber(ifd, tag);
    return value === null || factor === null ? null : plausibleDpi(value * factor);
  };
  return { x: read('t282'), y: read('t283') };
}

/** Reads the resolution tags of an EXIF block (the TIFF structure inside a JPEG's APP1). */
export function exifDpi(tiffBytes: Uint8Array): { x: number | null; y: number | null } {
  try {
    const ifds = UTIF.decode(toArrayBuffer(tiffBytes));
    return ifds[0] ? tiffDpi(ifds[0]) : { x: null, y: null };
  } catch {
    return { x: null, y: null };
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Decodes every page (top-level IFD; sub-IFDs are previews) of a TIFF. */
export function* tiffPages(bytes: Uint8Array): Generator<RawPage> {
  const buffer = toArrayBuffer(bytes);
  let ifds: IFD[];
  try {
    ifds = UTIF.decode(buffer);
  } catch (error) {
    throw badImage(error instanceof Error ? error.message : String(error));
  }
  const pages = ifds.filter((ifd) => ifd.t256 !== undefined && ifd.t257 !== undefined);
  if (pages.length === 0) throw new ImageProblem({ key: 'import.reason.image_no_pages' }, 'no image IFD');
  for (const ifd of pages) {
    const width = tagNumber(ifd, 't256') ?? 0;
    const height = tagNumber(ifd, 't257') ?? 0;
    checkPixels(width, height);
    let rgba: Uint8Array;
    try {
      UTIF.decodeImage(buffer, ifd);
      rgba = UTIF.toRGBA8(ifd);
    } catch (error) {
      throw badImage(error instanceof Error ? error.message : String(error));
    }
    if (ifd.width !== width || ifd.height !== height || rgba.length < width * height * 4) {
      throw badImage(`decoded ${rgba.length} bytes for ${width}x${height}`);
    }
    // The decoded strip data is as large as the page again; let it go before the next step.
    ifd.data = new Uint8Array(0);
    yield { width, height, ...toSamples(rgba, width, height), dpi: tiffDpi(ifd) };
  }
}

/** Flattens alpha onto white paper and picks the smallest colour form that loses nothing. */
function toSamples(rgba: Uint8Array, width: number, height: number): Pick<RawPage, 'colorSpace' | 'bitsPerComponent' | 'samples'> {
  const pixels = width * height;
  let gray = true;
  let bilevel = true;
  for (let i = 0; i < pixels * 4; i += 4) {
    const alpha = rgba[i + 3];
    if (alpha !== 255) {
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round((rgba[i + c] * alpha + 255 * (255 - alpha)) / 255);
      rgba[i + 3] = 255;
    }
    const r = rgba[i];
    if (gray && (r !== rgba[i + 1] || r !== rgba[i + 2])) gray = false;
    if (bilevel && r !== 0 && r !== 255) bilevel = false;
  }
  if (gray && bilevel) {
    const rowBytes = Math.ceil(width / 8);
    const samples = new Uint8Array(rowBytes * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // DeviceGray 1-bit: a set bit is white.
        if (rgba[(y * width + x) * 4] === 255) samples[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
      }
    }
    return { colorSpace: 'DeviceGray', bitsPerComponent: 1, samples };
  }
  if (gray) {
    const samples = new Uint8Array(pixels);
    for (let p = 0; p < pixels; p++) samples[p] = rgba[p * 4];
    return { colorSpace: 'DeviceGray', bitsPerComponent: 8, samples };
  }
  const samples = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    samples[p * 3] = rgba[p * 4];
    samples[p * 3 + 1] = rgba[p * 4 + 1];
    samples[p * 3 + 2] = rgba[p * 4 + 2];
  }
  return { colorSpace: 'DeviceRGB', bitsPerComponent: 8, samples };
}
