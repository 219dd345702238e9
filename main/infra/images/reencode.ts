// Shrinks a scanned PDF page by page (the size budget, issue 6). A page that is one scanned
// image and nothing else (no fonts, no forms, no masks) is rendered, judged colour, grey or
// really black-and-white, downsampled and encoded again: colour and grey as JPEG at 150 dpi,
// black-and-white as 1-bit Flate at 300 dpi (text stays sharp for OCR at a fraction of the
// bytes). Every other page, and every page whose new image would not be smaller, is copied
// as it was, so the result is never worse than the input and born-digital text never
// becomes pixels. Page count and order are kept.

import { createCanvas } from '@napi-rs/canvas';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFStream, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState } from 'pdf-lib';
import { deflateSync } from 'node:zlib';
import { PdfProblem, renderPages, type PagePixels } from '../pdf';

export type PageKind = 'colour' | 'gray' | 'bilevel';

export interface ReencodeOptions {
  /** Resolution for colour and grey pages; never above the scan's own. */
  colourDpi: number;
  /** Resolution for black-and-white pages. */
  bilevelDpi: number;
  /** JPEG quality, 0-100. */
  jpegQuality: number;
}

/**
 * Colour and grey at 150 dpi, JPEG quality 65: Ghostscript's /ebook is 150 dpi at about
 * quality 62 (its QFactor 0.76), and at 75 a colour-only or grey-only file came out ~20%
 * larger than /ebook's; at 65 each such page is ~8% smaller and its text still reads as
 * /ebook's does (bench/optimize.ts, docs/PERFORMANCE.md). 200 dpi at quality 60 was larger
 * and read worse. Text pages, the usual case, go black-and-white at 300 dpi whatever this says.
 */
export const DEFAULT_REENCODE: ReencodeOptions = { colourDpi: 150, bilevelDpi: 300, jpegQuality: 65 };

export interface PageOutcome {
  /** What the page was found to be; null for a page copied because it is not a plain scan. */
  kind: PageKind | null;
  /** The page's resolution after optimizing (the scan's own where it was kept). */
  dpi: number | null;
  /** Image bytes on the page before and after. */
  before: number;
  after: number;
  /** False when the page was copied unchanged. */
  reencoded: boolean;
}

export interface ReencodeResult {
  pdf: Uint8Array;
  pages: PageOutcome[];
}

/** Share of pixels that must be clearly coloured for a page to stay in colour (a red stamp is enough). */
const COLOUR_SHARE = 0.0005;
const CHROMA = 48;
/** A page is black-and-white when this little of it lies between ink and paper. */
const MID_SHARE = 0.06;

interface ScanPage {
  index: number;
  /** The scan's own resolution, from its pixels over the page's size. */
  dpi: number;
  imageBytes: number;
}

function numberOf(dict: PDFDict, key: string): number | null {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : null;
}

/** The pages that are one full-page scanned image and nothing the renderer could lose. */
function scanPages(doc: PDFDocument): Map<number, ScanPage> {
  const scans = new Map<number, ScanPage>();
  doc.getPages().forEach((page, index) => {
    const resources = page.node.Resources();
    const fonts = resources?.lookup(PDFName.of('Font'));
    if (!resources || (fonts instanceof PDFDict ? fonts.entries().length > 0 : fonts !== undefined)) return;
    const xobjects = resources.lookup(PDFName.of('XObject'));
    if (!(xobjects instanceof PDFDict)) return;
    const entries = xobjects.entries();
    if (entries.length !== 1) return;
    const image = xobjects.lookup(entries[0][0]);
    if (!(image instanceof PDFRawStream)) return;
    const dict = image.dict;
    if (dict.get(PDFName.of('Subtype')) !== PDFName.of('Image') || dict.has(PDFName.of('SMask')) || dict.has(PDFName.of('Mask'))) return;
    const width = numberOf(dict, 'Width');
    const height = numberOf(dict, 'Height');
    const size = page.getSize();
    if (!width || !height || size.width <= 0 || size.height <= 0) return;
    const dpi = (Math.max(width, height) / Math.max(size.width, size.height)) * 72;
    scans.set(index, { index, dpi, imageBytes: image.contents.length });
  });
  return scans;
}

export interface PageStats {
  colourShare: number;
  midShare: number;
  /** Otsu's ink/paper threshold on luminance. */
  threshold: number;
  /** Mean luminance of the ink and of the paper, either side of the threshold. */
  ink: number;
  paper: number;
}

/** Reads what kind of page a rendering is: colour, grey, or ink on paper. */
export function pageStats(pixels: PagePixels): PageStats {
  const { data } = pixels;
  const histogram = new Uint32Array(256);
  let coloured = 0;
  for (let p = 0; p < data.length; p += 4) {
    const r = data[p];
    const g = data[p + 1];
    const b = data[p + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) > CHROMA) coloured++;
    histogram[(r * 77 + g * 150 + b * 29) >> 8]++;
  }
  const total = data.length / 4;
  const threshold = otsu(histogram, total);
  // "Between ink and paper": away from both class means by more than a quarter of their gap.
  let inkSum = 0;
  let inkCount = 0;
  let paperSum = 0;
  for (let v = 0; v < 256; v++) {
    if (v <= threshold) {
      inkSum += v * histogram[v];
      inkCount += histogram[v];
    } else paperSum += v * histogram[v];
  }
  const ink = inkCount ? inkSum / inkCount : 0;
  const paper = total - inkCount ? paperSum / (total - inkCount) : 255;
  const margin = (paper - ink) / 4;
  let mid = 0;
  for (let v = Math.ceil(ink + margin); v <= Math.floor(paper - margin); v++) mid += histogram[v] ?? 0;
  return { colourShare: coloured / total, midShare: mid / total, threshold, ink, paper };
}

export function classify(stats: PageStats): PageKind {
  if (stats.colourShare > COLOUR_SHARE) return 'colour';
  return stats.midShare < MID_SHARE ? 'bilevel' : 'gray';
}

function otsu(histogram: Uint32Array, total: number): number {
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * histogram[v];
  let sumBelow = 0;
  let below = 0;
  let best = 0;
  let threshold = 127;
  for (let v = 0; v < 256; v++) {
    below += histogram[v];
    if (below === 0) continue;
    const above = total - below;
    if (above === 0) break;
    sumBelow += v * histogram[v];
    const meanBelow = sumBelow / below;
    const meanAbove = (sum - sumBelow) / above;
    const between = below * above * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = v;
    }
  }
  return threshold;
}

function scaled(pixels: PagePixels, factor: number) {
  const source = createCanvas(pixels.width, pixels.height);
  const context = source.getContext('2d');
  const image = context.createImageData(pixels.width, pixels.height);
  image.data.set(pixels.data);
  context.putImageData(image, 0, 0);
  if (factor >= 0.999) return source;
  const target = createCanvas(Math.max(1, Math.round(pixels.width * factor)), Math.max(1, Math.round(pixels.height * factor)));
  const ctx = target.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, target.width, target.height);
  return target;
}

/**
 * Otsu's threshold moved an eighth of the ink-paper gap towards paper: the anti-aliased rim
 * of a thin stroke (an "l", the join of "n") straddles Otsu's valley, and cut there the
 * stroke thins or breaks; kept as ink it stays whole. On the bench's text pages (1,280
 * words) Otsu alone lost two words to /ebook's one ("tanggal" read "tangga"); this, the same one.
 */
function inkThreshold(stats: PageStats): number {
  return Math.min(254, stats.threshold + Math.round((stats.paper - stats.ink) / 8));
}

/**
 * Ink/paper bits, 1 = white as DeviceGray reads a 1-bit image. Single-pixel specks of
 * scanner dust (a dark pixel with no dark neighbour, or the reverse) are dropped: they
 * carry nothing and cost Flate dearly.
 */
function bilevelBits(pixels: PagePixels, threshold: number): Uint8Array {
  const { width, height, data } = pixels;
  const dark = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < dark.length; i++, p += 4) dark[i] = (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8 <= threshold ? 1 : 0;
  const rowBytes = Math.ceil(width / 8);
  const bits = new Uint8Array(rowBytes * height).fill(0xff);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let value = dark[i];
      const neighbours = (x > 0 ? dark[i - 1] : value) + (x < width - 1 ? dark[i + 1] : value) + (y > 0 ? dark[i - width] : value) + (y < height - 1 ? dark[i + width] : value);
      if (value === 1 && neighbours === 0) value = 0;
      else if (value === 0 && neighbours === 4) value = 1;
      if (value === 1) bits[y * rowBytes + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
  }
  return bits;
}

/** Makes every pixel its own luminance (in place), so the JPEG's chroma planes are flat. */
function neutralize(pixels: PagePixels): void {
  const { data } = pixels;
  for (let p = 0; p < data.length; p += 4) data[p] = data[p + 1] = data[p + 2] = (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
}

interface Encoded {
  kind: PageKind;
  dpi: number;
  size: [number, number];
  stream: PDFStream;
  bytes: number;
}

function encodePage(doc: PDFDocument, pixels: PagePixels, renderDpi: number, scan: ScanPage, options: ReencodeOptions): Encoded {
  const stats = pageStats(pixels);
  const kind = classify(stats);
  // The page keeps its size in points whatever its new resolution.
  const size: [number, number] = [(pixels.width * 72) / renderDpi, (pixels.height * 72) / renderDpi];
  if (kind === 'bilevel') {
    const data = deflateSync(bilevelBits(pixels, inkThreshold(stats)), { level: 9 });
    const image = doc.context.stream(data, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: pixels.width,
      Height: pixels.height,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 1,
      Filter: 'FlateDecode',
    });
    return { kind, dpi: renderDpi, size, stream: image, bytes: data.length };
  }
  const dpi = Math.min(options.colourDpi, scan.dpi, renderDpi);
  // A grey page's faint tint and colour noise would cost JPEG chroma bytes for nothing.
  if (kind === 'gray') neutralize(pixels);
  const canvas = scaled(pixels, dpi / renderDpi);
  const jpeg = canvas.encodeSync('jpeg', options.jpegQuality);
  const image = doc.context.stream(jpeg, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: canvas.width,
    Height: canvas.height,
    ColorSpace: 'DeviceRGB',
    BitsPerComponent: 8,
    Filter: 'DCTDecode',
  });
  return { kind, dpi: Math.round(dpi), size, stream: image, bytes: jpeg.length };
}

async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PdfProblem(/encrypt/i.test(detail) ? 'encrypted' : 'corrupt', { text: detail }, detail);
  }
}

/**
 * Optimizes a PDF; throws a PdfProblem for one that does not open or render. `onPage` hears
 * of each page as it is done (0-based index, page count), for the clerk's progress.
 */
export async function reencodePdf(bytes: Uint8Array, options: ReencodeOptions = DEFAULT_REENCODE, onPage?: (index: number, pageCount: number) => void): Promise<ReencodeResult> {
  const source = await loadPdf(bytes);
  const scans = scanPages(source);
  const out = await PDFDocument.create({ updateMetadata: false });
  const renderDpi = Math.max(options.bilevelDpi, options.colourDpi);
  const encoded = new Map<number, Encoded>();
  let unrendered = -1;
  const pageCount = source.getPageCount();
  // Only scanned pages are rendered: every other page is copied as it is.
  await renderPages(
    bytes,
    renderDpi,
    (pixels, index) => {
      const scan = scans.get(index)!;
      if (!pixels) unrendered = index;
      else {
        const page = encodePage(out, pixels, renderDpi, scan, options);
        // Never worse than the scan: a page that does not shrink by a twentieth stays as it was.
        if (page.bytes < scan.imageBytes * 0.95) encoded.set(index, page);
      }
      onPage?.(index, pageCount);
    },
    (index) => scans.has(index) && unrendered < 0,
  );
  if (unrendered >= 0) throw new PdfProblem('corrupt', { text: `page ${unrendered + 1} does not render` }, `page ${unrendered + 1}`);

  const keptIndexes = source.getPageIndices().filter((index) => !encoded.has(index));
  const copied = new Map((await out.copyPages(source, keptIndexes)).map((page, i) => [keptIndexes[i], page]));
  const outcomes: PageOutcome[] = [];
  for (const index of source.getPageIndices()) {
    const scan = scans.get(index);
    const page = encoded.get(index);
    if (!page) {
      out.addPage(copied.get(index)!);
      outcomes.push({ kind: null, dpi: scan ? Math.round(scan.dpi) : null, before: scan?.imageBytes ?? 0, after: scan?.imageBytes ?? 0, reencoded: false });
      continue;
    }
    const { size } = page;
    const target = out.addPage(size);
    const name = target.node.newXObject('Im', out.context.register(page.stream));
    target.pushOperators(pushGraphicsState(), concatTransformationMatrix(size[0], 0, 0, size[1], 0, 0), drawObject(name), popGraphicsState());
    outcomes.push({ kind: page.kind, dpi: page.dpi, before: scan!.imageBytes, after: page.bytes, reencoded: true });
  }
  return { pdf: await out.save(), pages: outcomes };
}

/** Page `index` (0-based) rendered at `dpi` as a JPEG, for comparing an original with its optimized version. */
export async function renderPageJpeg(bytes: Uint8Array, index: number, dpi = 96): Promise<Buffer> {
  let jpeg: Buffer | null = null;
  await renderPages(bytes, dpi, (pixels, at) => {
    if (at === index && pixels) jpeg = scaled(pixels, 1).encodeSync('jpeg', 85);
  });
  if (!jpeg) throw new PdfProblem('corrupt', { text: `page ${index + 1} does not render` }, `page ${index + 1}`);
  return jpeg;
}
