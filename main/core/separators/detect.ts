// Finding separator sheets in a scanned stack: every page is seen small (decoded from its
// scanned image, or rendered with pdf.js) and searched for a QR code with jsQR. Feeder scans are grey, noisy and a little skewed; jsQR locates
// the finder patterns at any angle, so the variants tried are about pixels, not rotation:
// a half-size, box-filtered image (fast, and the averaging removes speckle), the same
// binarized at its Otsu threshold (faint toner, grey paper), then both at full size. A
// cheap pre-check skips pages with no QR-like block of ink. A page is a sheet only if a QR
// code decodes to an intact separator payload.

import jsQR from 'jsqr';
import { PDFDocument, type PDFPage } from 'pdf-lib';
import { renderPages, type PagePixels } from '../../infra/pdf';
import { parseSeparator, type SeparatorLabel } from './format';
import { cannotHoldCode, scannedPagePixels } from './page-image';

/** Rendering resolution: a sheet's QR module is about 10 px here, 5 px at half size. */
export const DETECT_DPI = 100;

interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

function toGray({ width, height, data }: PagePixels): Gray {
  const out = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) out[i] = (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
  return { width, height, data: out };
}

function halfSize({ width, height, data }: Gray): Gray {
  const w = width >> 1;
  const h = height >> 1;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = 2 * y * width;
    for (let x = 0; x < w; x++) {
      const p = row + 2 * x;
      out[y * w + x] = (data[p] + data[p + 1] + data[p + width] + data[p + width + 1] + 2) >> 2;
    }
  }
  return { width: w, height: h, data: out };
}

/** Otsu's threshold: the grey level that best separates ink from paper on this page. */
function otsu({ data }: Gray): number {
  const histogram = new Float64Array(256);
  for (const value of data) histogram[value]++;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * histogram[i];
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    below += histogram[t];
    if (below === 0) continue;
    const above = data.length - below;
    if (above === 0) break;
    belowSum += t * histogram[t];
    const between = below * above * (belowSum / below - (sum - belowSum) / above) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

function binarized(gray: Gray): Gray {
  const threshold = otsu(gray);
  return { ...gray, data: gray.data.map((value) => (value > threshold ? 255 : 0)) };
}

function decode({ width, height, data }: Gray): string | null {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    rgba[p] = rgba[p + 1] = rgba[p + 2] = data[i];
    rgba[p + 3] = 255;
  }
  return jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** Cell side of the pre-check grid at half size (about 0.5 cm at 100 dpi) and the block a QR code must fill. */
const CELL = 10;
const BLOCK = 6;

/**
 * Cheap pre-check: does the page hold a block of about 3 x 3 cm where every part is
 * between a quarter and most of ink, as a QR code's modules are? Body text, blank backs
 * and margins are not; a sheet's 9 cm code always is, even damaged, so no sheet is lost.
 */
export function looksLikeQr(gray: Gray): boolean {
  const threshold = Math.min(otsu(gray), 160);
  const cols = Math.floor(gray.width / CELL);
  const rows = Math.floor(gray.height / CELL);
  if (cols < BLOCK || rows < BLOCK) return true;
  // Summed-area table of "QR-like" cells, so every block is counted in constant time.
  const sums = new Int32Array((cols + 1) * (rows + 1));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let dark = 0;
      for (let y = r * CELL; y < (r + 1) * CELL; y++) {
        const row = y * gray.width;
        for (let x = c * CELL; x < (c + 1) * CELL; x++) if (gray.data[row + x] < threshold) dark++;
      }
      const share = dark / (CELL * CELL);
      const mark = share >= 0.2 && share <= 0.9 ? 1 : 0;
      sums[(r + 1) * (cols + 1) + c + 1] = mark + sums[r * (cols + 1) + c + 1] + sums[(r + 1) * (cols + 1) + c] - sums[r * (cols + 1) + c];
    }
  }
  const need = Math.ceil(BLOCK * BLOCK * 0.75);
  for (let r = BLOCK; r <= rows; r++) {
    for (let c = BLOCK; c <= cols; c++) {
      const count = sums[r * (cols + 1) + c] - sums[(r - BLOCK) * (cols + 1) + c] - sums[r * (cols + 1) + c - BLOCK] + sums[(r - BLOCK) * (cols + 1) + c - BLOCK];
      if (count >= need) return true;
    }
  }
  return false;
}

/** The separator label on a rendered page, or null if the page is not a readable sheet. */
export function findSeparator(pixels: PagePixels): SeparatorLabel | null {
  const gray = toGray(pixels);
  const half = halfSize(gray);
  if (!looksLikeQr(half)) return null;
  const variants = [() => half, () => binarized(half), () => gray, () => binarized(gray)];
  for (const variant of variants) {
    const text = decode(variant());
    // Another QR code (a TTE signature on an SK) decodes the same in every variant: done.
    if (text !== null) return parseSeparator(text);
  }
  return null;
}

/** How each page was read (bench/separators.ts reports the split). */
export interface DetectStats {
  /** Pages decoded from their one scanned image (the fast path). */
  fast: number;
  /** Pages rendered with pdf.js (vector pages, masks, unusual images). */
  rendered: number;
  /** Pages of text only, which cannot show a code: not looked at. */
  textOnly: number;
}

/**
 * Per page of the PDF: its separator label, or null for a page of a document. Plain scans
 * are read from their image (page-image.ts); every other page is rendered with pdf.js.
 */
export async function detectSeparators(pdf: Uint8Array, dpi = DETECT_DPI, stats?: DetectStats): Promise<(SeparatorLabel | null)[]> {
  const marks: (SeparatorLabel | null)[] = [];
  const toRender = new Set<number>();
  let pages: PDFPage[] = [];
  try {
    pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPages();
  } catch {
    // pdf-lib is stricter than pdf.js about damaged files: pdf.js gets every page.
  }
  if (pages.length === 0) {
    await renderPages(pdf, dpi, (pixels) => marks.push(pixels ? findSeparator(pixels) : null));
    if (stats) stats.rendered += marks.length;
    return marks;
  }
  for (const [index, page] of pages.entries()) {
    let pixels: PagePixels | null = null;
    try {
      if (cannotHoldCode(page)) {
        marks[index] = null;
        if (stats) stats.textOnly++;
        continue;
      }
      pixels = await scannedPagePixels(page, dpi);
    } catch {
      // An image libjpeg or zlib refuses is pdf.js's to try.
    }
    if (pixels) {
      marks[index] = findSeparator(pixels);
      if (stats) stats.fast++;
    } else {
      marks[index] = null;
      toRender.add(index);
    }
  }
  if (toRender.size > 0) {
    // A page that does not render is kept as a page: never a reason to split.
    await renderPages(pdf, dpi, (pixels, index) => (marks[index] = pixels ? findSeparator(pixels) : null), (index) => toRender.has(index));
    if (stats) stats.rendered += toRender.size;
  }
  return marks;
}
