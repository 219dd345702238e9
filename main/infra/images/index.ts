// Turns scanned images into a PDF, the one format the archive keeps: a JPEG goes in as it
// is (no second lossy encode; the PDF around it written directly, jpeg-pdf.ts), a PNG
// through pdf-lib, a TIFF page by page as raw samples.
// Each page is as large as the paper was, from the image's own resolution (300 dpi, the
// usual scanner setting, when the file does not say).

import { PDFDocument, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, type PDFPage } from 'pdf-lib';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { readJpegInfo } from './jpeg';
import { jpegToPdf } from './jpeg-pdf';
import { readPngInfo } from './png';
import { badImage, ImageProblem } from './problem';
import { tiffPages, type RawPage } from './tiff';

export { ImageProblem, MAX_PIXELS } from './problem';

export type ImageKind = 'jpeg' | 'png' | 'tiff';

export interface ImagePdf {
  pdf: Uint8Array;
  pageCount: number;
}

const DEFAULT_DPI = 300;
const deflateAsync = promisify(deflate);

/** Page size in PDF points (1/72 inch) for an image of `width`×`height` pixels. */
export function pageSize(width: number, height: number, dpi: { x: number | null; y: number | null }): [number, number] {
  return [(width * 72) / (dpi.x ?? DEFAULT_DPI), (height * 72) / (dpi.y ?? DEFAULT_DPI)];
}

function placeFullPage(page: PDFPage, name: ReturnType<PDFPage['node']['newXObject']>): void {
  const { width, height } = page.getSize();
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(width, 0, 0, height, 0, 0), drawObject(name), popGraphicsState());
}

/**
 * PNG "Up" prediction per row before deflate: scanned photos and grey paper compress
 * much better as differences from the row above, and every PDF reader undoes it.
 */
function predictUp(samples: Uint8Array, rowBytes: number, rows: number): Uint8Array {
  const out = new Uint8Array((rowBytes + 1) * rows);
  for (let y = 0; y < rows; y++) {
    const row = y * rowBytes;
    const target = y * (rowBytes + 1);
    out[target] = 2;
    if (y === 0) out.set(samples.subarray(0, rowBytes), target + 1);
    else for (let x = 0; x < rowBytes; x++) out[target + 1 + x] = (samples[row + x] - samples[row - rowBytes + x]) & 0xff;
  }
  return out;
}

async function addRawPage(doc: PDFDocument, raw: RawPage): Promise<void> {
  const colors = raw.colorSpace === 'DeviceRGB' ? 3 : 1;
  const rowBytes = raw.bitsPerComponent === 1 ? Math.ceil(raw.width / 8) : raw.width * colors;
  const predicted = raw.bitsPerComponent === 8;
  const data = await deflateAsync(predicted ? predictUp(raw.samples, rowBytes, raw.height) : raw.samples);
  const stream = doc.context.stream(data, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: raw.width,
    Height: raw.height,
    ColorSpace: raw.colorSpace,
    BitsPerComponent: raw.bitsPerComponent,
    Filter: 'FlateDecode',
    ...(predicted ? { DecodeParms: { Predictor: 12, Colors: colors, BitsPerComponent: 8, Columns: raw.width } } : {}),
  });
  const page = doc.addPage(pageSize(raw.width, raw.height, raw.dpi));
  placeFullPage(page, page.node.newXObject('Im', doc.context.register(stream)));
}

async function addPng(doc: PDFDocument, bytes: Uint8Array): Promise<void> {
  const info = readPngInfo(bytes);
  let image;
  try {
    image = await doc.embedPng(bytes);
  } catch (error) {
    throw badImage(error instanceof Error ? error.message : String(error));
  }
  const [width, height] = pageSize(info.width, info.height, info.dpi);
  const page = doc.addPage([width, height]);
  page.drawImage(image, { x: 0, y: 0, width, height });
}

/** Builds a PDF with one page per image (every page of a multi-page TIFF). */
export async function imagesToPdf(kind: ImageKind, bytes: Uint8Array): Promise<ImagePdf> {
  if (kind === 'jpeg') {
    // Written directly (jpeg-pdf.ts): the JPEG as it is, around it the few objects a page needs.
    const info = readJpegInfo(bytes);
    const [width, height] = pageSize(info.width, info.height, info.dpi);
    return { pdf: jpegToPdf(bytes, info, width, height), pageCount: 1 };
  }
  // No dates or producer: the same image always gives the same PDF bytes, and so the same hash.
  const doc = await PDFDocument.create({ updateMetadata: false });
  if (kind === 'tiff') {
    for (const raw of tiffPages(bytes)) await addRawPage(doc, raw);
  } else {
    await addPng(doc, bytes);
  }
  try {
    const pdf = await doc.save();
    return { pdf, pageCount: doc.getPageCount() };
  } catch (error) {
    if (error instanceof ImageProblem) throw error;
    // pdf-lib decodes lazily in places; a failure here is still the image's fault.
    throw badImage(error instanceof Error ? error.message : String(error));
  }
}
