// The PDF operations behind the page tools: rotation adds to a page's own, a move lands
// where asked, and a scan's resolution is read from the image that covers the page (a logo
// on a typed page is not a scan).
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, degrees } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { mergeAll, movePage, rotatePages, scanDpi, splitAt } from './edit';

async function pages(sizes: [number, number][], rotate: number[] = []): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  sizes.forEach(([w, h], index) => {
    const page = doc.addPage([w, h]);
    page.setRotation(degrees(rotate[index] ?? 0));
  });
  return doc.save();
}

const sizes = async (bytes: Uint8Array) => (await PDFDocument.load(bytes)).getPages().map((page) => [page.getWidth(), page.getHeight(), page.getRotation().angle]);

describe('page edits', () => {
  it('adds a turn to the rotation a page already has', async () => {
    const out = await rotatePages(await pages([[100, 200], [100, 200]], [90, 0]), [0, 1], 270);
    expect((await sizes(out)).map(([, , angle]) => angle)).toEqual([0, 270]);
  });

  it('moves a page forward and back, splits and merges in order', async () => {
    const doc = await pages([[101, 200], [102, 200], [103, 200], [104, 200]]);
    expect((await sizes(await movePage(doc, 0, 2))).map(([w]) => w)).toEqual([102, 103, 101, 104]);
    expect((await sizes(await movePage(doc, 3, 0))).map(([w]) => w)).toEqual([104, 101, 102, 103]);
    const [head, tail] = await splitAt(doc, 1);
    expect((await sizes(head)).map(([w]) => w)).toEqual([101]);
    expect((await sizes(tail)).map(([w]) => w)).toEqual([102, 103, 104]);
    expect((await sizes(await mergeAll([tail, head]))).map(([w]) => w)).toEqual([102, 103, 104, 101]);
  });

  it('reads the scan resolution from a page-sized image only', async () => {
    const png = async (w: number, h: number) => createCanvas(w, h).encode('png');
    const doc = await PDFDocument.create();
    // A4 at 20 dpi (165x234 px), the same scan placed turned on a landscape page, a logo on a typed page.
    const scan = await doc.embedPng(await png(165, 234));
    doc.addPage([595, 842]).drawImage(scan, { x: 0, y: 0, width: 595, height: 842 });
    doc.addPage([842, 595]).drawImage(await doc.embedPng(await png(234, 165)), { x: 0, y: 0, width: 842, height: 595 });
    doc.addPage([595, 842]).drawImage(await doc.embedPng(await png(80, 80)), { x: 60, y: 700, width: 80, height: 80 });
    doc.addPage([595, 842]);
    const loaded = await PDFDocument.load(await doc.save());
    expect(loaded.getPages().map(scanDpi)).toEqual([20, 20, null, null]);
  });
});
