// Cutting a scanned stack at its separator sheets: the pages after each sheet, up to the
// next, are one document carrying that sheet's label; the sheets themselves are dropped.
// Pages ahead of the first sheet are a document of their own, unlabelled. Parts are new
// PDFs whose pages are copied object for object (the scanned images are not re-encoded).

import { PDFDocument } from 'pdf-lib';
import type { SeparatorLabel } from './format';

export interface StackPart {
  /** The sheet's label; null for the pages in front of the first sheet. */
  label: SeparatorLabel | null;
  /** 0-based page numbers of the stack this part is made of. */
  pages: number[];
}

export interface SplitPart extends StackPart {
  pdf: Uint8Array;
}

/** The parts a stack falls into, or null when it holds no sheet. Sheets with nothing behind them give no part. */
export function planSplit(marks: readonly (SeparatorLabel | null)[]): StackPart[] | null {
  if (!marks.some((mark) => mark !== null)) return null;
  const parts: StackPart[] = [];
  let current: StackPart = { label: null, pages: [] };
  marks.forEach((mark, page) => {
    if (mark === null) {
      current.pages.push(page);
      return;
    }
    if (current.pages.length > 0) parts.push(current);
    current = { label: mark, pages: [] };
  });
  if (current.pages.length > 0) parts.push(current);
  return parts;
}

/** Builds each part's PDF from the stack's. */
export async function buildParts(stack: Uint8Array, plan: readonly StackPart[]): Promise<SplitPart[]> {
  const source = await PDFDocument.load(stack, { updateMetadata: false });
  const out: SplitPart[] = [];
  for (const part of plan) {
    // No dates or producer: the same stack always splits into the same bytes, so a second
    // import of it is recognised part by part as a duplicate.
    const doc = await PDFDocument.create({ updateMetadata: false });
    for (const page of await doc.copyPages(source, part.pages)) doc.addPage(page);
    out.push({ ...part, pdf: await doc.save() });
  }
  return out;
}
