// Page edits as pure PDF operations: every result is a new PDF whose pages are copied
// object for object from the old one (pdf-lib copyPages), so the scanned images are never
// re-encoded. No dates or producer are written: the same edit of the same file always
// gives the same bytes. Page numbers here are 0-based; the service speaks 1-based.

import { degrees, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFPage } from 'pdf-lib';

export type QuarterTurn = 90 | 180 | 270;

async function load(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false });
}

/** A new PDF made of `order`'s pages of `sources` (each [source index, page index]). */
async function assemble(sources: readonly PDFDocument[], order: readonly (readonly [number, number])[], turn?: (at: number) => number): Promise<Uint8Array> {
  const out = await PDFDocument.create({ updateMetadata: false });
  for (const [at, [source, page]] of order.entries()) {
    const [copy] = await out.copyPages(sources[source], [page]);
    const extra = turn?.(at) ?? 0;
    if (extra !== 0) copy.setRotation(degrees((copy.getRotation().angle + extra) % 360));
    out.addPage(copy);
  }
  return out.save();
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

export async function pageCountOf(bytes: Uint8Array): Promise<number> {
  return (await load(bytes)).getPageCount();
}

/** Turns the listed pages clockwise by `turn` degrees; the others stay as they are. */
export async function rotatePages(bytes: Uint8Array, pages: readonly number[], turn: QuarterTurn): Promise<Uint8Array> {
  const doc = await load(bytes);
  const chosen = new Set(pages);
  return assemble([doc], range(doc.getPageCount()).map((page) => [0, page] as const), (at) => (chosen.has(at) ? turn : 0));
}

/** Moves page `from` so it becomes page `to`. */
export async function movePage(bytes: Uint8Array, from: number, to: number): Promise<Uint8Array> {
  const doc = await load(bytes);
  const order = range(doc.getPageCount());
  order.splice(to, 0, ...order.splice(from, 1));
  return assemble([doc], order.map((page) => [0, page] as const));
}

/** The document without the listed pages (the caller keeps at least one). */
export async function deletePages(bytes: Uint8Array, pages: readonly number[]): Promise<Uint8Array> {
  const doc = await load(bytes);
  const gone = new Set(pages);
  return assemble([doc], range(doc.getPageCount()).filter((page) => !gone.has(page)).map((page) => [0, page] as const));
}

/** Two documents: pages before `at`, and `at` to the end. */
export async function splitAt(bytes: Uint8Array, at: number): Promise<[Uint8Array, Uint8Array]> {
  const doc = await load(bytes);
  const pages = range(doc.getPageCount());
  const part = (list: number[]) => assemble([doc], list.map((page) => [0, page] as const));
  return [await part(pages.slice(0, at)), await part(pages.slice(at))];
}

/** One document of every page of each, in the order given. */
export async function mergeAll(files: readonly Uint8Array[]): Promise<Uint8Array> {
  const docs = await Promise.all(files.map(load));
  return assemble(
    docs,
    docs.flatMap((doc, source) => range(doc.getPageCount()).map((page) => [source, page] as const)),
  );
}

// --- scan resolution: the largest image drawn on a page against the page's size ---

/** Share by which a scan's aspect may differ from its page's and still be taken as the whole page. */
const ASPECT_TOLERANCE = 0.1;

function numberIn(dict: PDFDict, key: string): number | null {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : null;
}

/** Pixel sizes of the page's image XObjects (not looking into forms: scanners do not nest). */
function imagesOn(page: PDFPage): { width: number; height: number }[] {
  const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'));
  if (!(xobjects instanceof PDFDict)) return [];
  const out: { width: number; height: number }[] = [];
  for (const [, ref] of xobjects.entries()) {
    const object = ref instanceof PDFRef ? page.doc.context.lookup(ref) : ref;
    if (!(object instanceof PDFRawStream)) continue;
    const { dict } = object;
    if (dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const width = numberIn(dict, 'Width');
    const height = numberIn(dict, 'Height');
    if (width && height) out.push({ width, height });
  }
  return out;
}

/**
 * The resolution a page was scanned at, or null when no image covers it (a born-digital
 * page, or a logo on one). Long side is matched with long side, so a scan placed turned
 * reads the same.
 */
export function scanDpi(page: PDFPage): number | null {
  const { width, height } = page.getSize();
  const [pageLong, pageShort] = [Math.max(width, height), Math.min(width, height)];
  if (pageShort <= 0) return null;
  const images = imagesOn(page).sort((a, b) => b.width * b.height - a.width * a.height);
  const scan = images[0];
  if (!scan) return null;
  const [long, short] = [Math.max(scan.width, scan.height), Math.min(scan.width, scan.height)];
  if (Math.abs(long / short / (pageLong / pageShort) - 1) > ASPECT_TOLERANCE) return null;
  return Math.round(Math.min(long / (pageLong / 72), short / (pageShort / 72)));
}

/** Each page's scan resolution (null where it has none), in page order. */
export async function scanDpis(bytes: Uint8Array): Promise<(number | null)[]> {
  return (await load(bytes)).getPages().map(scanDpi);
}
