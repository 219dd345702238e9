// Page cleaning before OCR (issue 6): old photocopies fed through the scanner carry dark
// specks, and tesseract reads a field of specks as junk words and loses whole lines to them
// (docs/PERFORMANCE.md, ocr). Removed here: dark dots no bigger than a few pixels at 300 dpi
// with no other ink near them. Typed text is left alone: a glyph, a full stop or the dot of
// an i is bigger than a speck at 300 dpi, and a thin stroke is longer.
//
// These functions run on tesseract's worker thread (index.ts embeds their source in the
// worker it starts), so each must stay self-contained: no imports, no helpers outside its
// own body, plain loops on typed arrays.

export interface DespeckleOptions {
  /** Grey level below which a pixel counts as ink. */
  threshold?: number;
  /** A speck fits in a box this many pixels wide and high. */
  maxSide?: number;
  /** No other ink within this many pixels of the speck's box. */
  gap?: number;
}

/** RGBA (any alpha: the page is opaque) to 8-bit grey, integer BT.601 weights. */
export function rgbaToGrey(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const count = width * height;
  const grey = new Uint8Array(count);
  for (let i = 0, j = 0; i < count; i++, j += 4) grey[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29 + 128) >> 8;
  return grey;
}

/**
 * Removes specks from a grey page, in place, and returns how many were removed.
 *
 * A speck is an 8-connected set of ink pixels (grey < threshold) whose bounding box is at
 * most maxSide x maxSide, with no other ink pixel within `gap` pixels of that box. It is
 * erased with its anti-aliased rim: every pixel of its box grown by one is set to white
 * (nothing else lies there, as the gap is at least one). No other pixel changes, so a page
 * without specks comes back byte-identical.
 *
 * Cost: one pass over the page plus a bounded flood per ink component: an ink pixel is
 * visited a few times at most (a flood stops once its box outgrows a speck, and marks what
 * it saw as part of something bigger).
 */
export function despeckle(grey: Uint8Array, width: number, height: number, options: DespeckleOptions = {}): number {
  const threshold = options.threshold ?? 160;
  const maxSide = options.maxSide ?? 3;
  const gap = Math.max(1, options.gap ?? 2);
  // 0 unseen, 1 in the flood under way, 2 part of an ink component bigger than a speck,
  // 3 a small component already judged (kept: it has ink near it).
  const mark = new Uint8Array(width * height);
  const limit = maxSide * maxSide;
  const flood = new Int32Array(limit + 1);
  let removed = 0;
  for (let start = 0; start < grey.length; start++) {
    if (grey[start] >= threshold || mark[start] !== 0) continue;
    const sy = (start / width) | 0;
    const sx = start - sy * width;
    let x0 = sx;
    let x1 = sx;
    let y0 = sy;
    let y1 = sy;
    let size = 1;
    let big = false;
    flood[0] = start;
    mark[start] = 1;
    // Breadth-first over 8-neighbours; stops as soon as the component cannot be a speck.
    for (let head = 0; head < size && !big; head++) {
      const p = flood[head];
      const py = (p / width) | 0;
      const px = p - py * width;
      for (let dy = -1; dy <= 1 && !big; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (grey[q] >= threshold || mark[q] === 1 || mark[q] === 3) continue;
          if (mark[q] === 2) {
            big = true;
            break;
          }
          if (nx < x0) x0 = nx;
          if (nx > x1) x1 = nx;
          if (ny < y0) y0 = ny;
          if (ny > y1) y1 = ny;
          if (x1 - x0 >= maxSide || y1 - y0 >= maxSide || size >= limit) {
            big = true;
            break;
          }
          mark[q] = 1;
          flood[size++] = q;
        }
      }
    }
    if (big) {
      for (let k = 0; k < size; k++) mark[flood[k]] = 2;
      continue;
    }
    // Complete and small: a speck unless other ink lies within `gap` of its box.
    const gx0 = Math.max(0, x0 - gap);
    const gx1 = Math.min(width - 1, x1 + gap);
    const gy0 = Math.max(0, y0 - gap);
    const gy1 = Math.min(height - 1, y1 + gap);
    let alone = true;
    for (let y = gy0; y <= gy1 && alone; y++) {
      for (let x = gx0, q = y * width + gx0; x <= gx1; x++, q++) {
        if (grey[q] < threshold && mark[q] !== 1) {
          alone = false;
          break;
        }
      }
    }
    if (!alone) {
      for (let k = 0; k < size; k++) mark[flood[k]] = 3;
      continue;
    }
    const ex0 = Math.max(0, x0 - 1);
    const ex1 = Math.min(width - 1, x1 + 1);
    const ey0 = Math.max(0, y0 - 1);
    const ey1 = Math.min(height - 1, y1 + 1);
    for (let y = ey0; y <= ey1; y++) grey.fill(255, y * width + ex0, y * width + ex1 + 1);
    for (let k = 0; k < size; k++) mark[flood[k]] = 3;
    removed++;
  }
  return removed;
}
