// Blank-page detection: the backs of duplex scans are paper tone with scanner speckle and
// some text showing through from the front. A page is proposed for removal when almost
// nothing on it is real ink: pixels much darker than the paper (bleed-through is only a
// little darker) that touch other such pixels (speckle is single dots). The clerk confirms
// every removal; the figures are tuned on generated pages (blank.test.ts).

import { renderPages, type PagePixels } from '../../infra/pdf';

/** Rendered at this resolution: text strokes stay two pixels or more wide, a page is ~0.5 Mpx. */
export const BLANK_DPI = 72;
/** Ink is this many grey levels darker than the paper; bleed-through stays well above it. */
const INK_CONTRAST = 90;
/** An ink pixel counts only with at least this many ink pixels among its 8 neighbours. */
const INK_NEIGHBOURS = 2;
/**
 * Share of the page that may be ink on a blank page. Generated blanks (clean, up to 5%
 * speckle, grey bleed-through, skewed) measure 0; a single typed word ("Paraf") on an A4
 * page measures 0.0001, a short line 0.0006, a letter 0.03.
 */
export const BLANK_INK_SHARE = 0.00004;
/** Paper tone is read at this quantile of the grey levels (most of a page is paper). */
const PAPER_QUANTILE = 0.6;

/** The share of a page's pixels that are real ink (0-1). */
export function inkShare(pixels: PagePixels): number {
  const { width, height, data } = pixels;
  const grey = new Uint8Array(width * height);
  const histogram = new Uint32Array(256);
  for (let i = 0; i < grey.length; i++) {
    const p = i * 4;
    const value = (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
    grey[i] = value;
    histogram[value]++;
  }
  // The level below which PAPER_QUANTILE of the pixels lie, counted from the dark end.
  let paper = 255;
  for (let level = 0, seen = 0; level < 256; level++) {
    seen += histogram[level];
    if (seen >= grey.length * PAPER_QUANTILE) {
      paper = level;
      break;
    }
  }
  const limit = paper - INK_CONTRAST;
  if (limit <= 0) return 1; // a dark page (a photo, a black cover) is never blank
  let ink = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (grey[i] >= limit) continue;
      let near = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx !== 0 || dy !== 0) && grey[i + dy * width + dx] < limit) near++;
      if (near >= INK_NEIGHBOURS) ink++;
    }
  }
  return ink / Math.max(1, (width - 2) * (height - 2));
}

export function isBlank(pixels: PagePixels): boolean {
  return inkShare(pixels) < BLANK_INK_SHARE;
}

/** Every page's ink share, in page order; a page that does not render counts as not blank. */
export async function pageInk(bytes: Uint8Array): Promise<number[]> {
  const shares: number[] = [];
  await renderPages(bytes, BLANK_DPI, (pixels, index) => {
    shares[index] = pixels ? inkShare(pixels) : 1;
  });
  return shares;
}
