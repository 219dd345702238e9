// The one failure images can have at import: the bytes are not a usable picture.
import type { ProblemReason } from '../pdf';

export class ImageProblem extends Error {
  readonly code = 'bad_image' as const;

  constructor(
    readonly reason: ProblemReason,
    detail: string,
  ) {
    super(`bad_image: ${detail}`);
    this.name = 'ImageProblem';
  }
}

export function badImage(detail: string): ImageProblem {
  return new ImageProblem({ key: 'import.reason.image_decode', params: { detail } }, detail);
}

/**
 * Decoded pages are held as RGBA in memory; above this a 4 GB office PC starts to swap.
 * 80 megapixels still takes an A3 page scanned at 600 dpi.
 */
export const MAX_PIXELS = 80_000_000;

export function checkPixels(width: number, height: number): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw badImage(`dimensions ${width}x${height}`);
  }
  if (width * height > MAX_PIXELS) {
    throw new ImageProblem(
      { key: 'import.reason.image_too_big', params: { width, height, max: MAX_PIXELS / 1_000_000 } },
      `${width}x${height} pixels`,
    );
  }
}

/** Resolution in dots per inch, or null where the file gives none or an implausible one. */
export function plausibleDpi(value: number): number | null {
  return Number.isFinite(value) && value >= 20 && value <= 5000 ? value : null;
}
