// Blank-page detection tuned on generated feeder pages: blank backs (clean, speckled, with
// text showing through from the front, at 150 and 300 dpi, skewed) are proposed; typed
// pages are not, down to a page with a single short line.
import { PDFDocument, StandardFonts, grayscale } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { feederStackPdf, letterLines, type ScanLook, type StackPage } from '../../../tests/fixtures/feeder-stack';
import { BLANK_INK_SHARE, pageInk } from './blank';

/** A back whose front shows through: the letter in light grey (mirroring does not matter to ink). */
async function bleedThrough(seed: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  letterLines(seed).forEach((line, i) => {
    const width = font.widthOfTextAtSize(line, 11);
    page.drawText(line, { x: 595 - 72 - width, y: 770 - i * 16, size: 11, font, color: grayscale(BLEED) });
  });
  return doc.save();
}

/** Darker than most bleed-through: the margin the threshold keeps. */
const BLEED = 0.72;
const look = (dpi: number, noise: number, seed: number, angle = 1.5): ScanLook => ({ dpi, angle, noise, seed });

describe('blank pages', () => {
  it('proposes blank backs and keeps every typed page', { timeout: 60_000 }, async () => {
    const pages: [StackPage, ScanLook, boolean][] = [
      [{ kind: 'text', lines: [] }, look(150, 0, 1), true],
      [{ kind: 'text', lines: [] }, look(150, 0.01, 2), true],
      [{ kind: 'text', lines: [] }, look(300, 0.05, 3, -2.5), true],
      [{ kind: 'printed', pdf: await bleedThrough(4), index: 0 }, look(150, 0.01, 4), true],
      [{ kind: 'printed', pdf: await bleedThrough(5), index: 0 }, look(300, 0.01, 5), true],
      [{ kind: 'text', lines: letterLines(6) }, look(150, 0.01, 6), false],
      [{ kind: 'text', lines: letterLines(7, 3) }, look(300, 0.01, 7), false],
      [{ kind: 'text', lines: ['Halaman ini sengaja dikosongkan'] }, look(150, 0.01, 8), false],
      [{ kind: 'text', lines: ['Paraf'] }, look(150, 0.02, 9), false],
    ];
    const pdf = await feederStackPdf(pages.map(([page]) => page), (index) => pages[index][1]);
    const shares = await pageInk(pdf);
    expect(shares.map((share) => share < BLANK_INK_SHARE)).toEqual(pages.map(([, , blank]) => blank));
  });
});
