// PDF reading for the import pipeline, on pdf.js in plain Node: count and open every page
// (so a damaged, cut-off or locked file is refused at the door, not when a verifier opens
// it months later), render page-1 thumbnails and every page for separator detection. Files
// are untrusted: pdf.js runs with no eval and no scripting, and its "worker" is the
// in-process fake worker Node gets.

import { createCanvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { MessageKey, MessageParams } from '../../../common/i18n';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type RenderParams = Parameters<Awaited<ReturnType<PdfDocument['getPage']>>['render']>[0];

export type PdfProblemCode = 'encrypted' | 'corrupt' | 'truncated';

/** Why a problem happened, either as catalog text or (for errors we cannot name) raw detail. */
export type ProblemReason = { key: MessageKey; params?: MessageParams } | { text: string };

/** A PDF the import must refuse, with a stable code the caller turns into a message. */
export class PdfProblem extends Error {
  constructor(
    readonly code: PdfProblemCode,
    readonly reason: ProblemReason | null,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'PdfProblem';
  }
}

export interface PdfInfo {
  pageCount: number;
}

const EOF_WINDOW = 1024;
/** Thumbnails of very tall pages (receipts, long scans) are capped at this height/width ratio. */
const MAX_THUMBNAIL_RATIO = 4;

let pdfjsPromise: Promise<PdfJs> | null = null;

// Loaded on first use: pdf.js costs a few hundred milliseconds to import, which the CLI's
// quick commands and app start should not pay.
function pdfjs(): Promise<PdfJs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

let assetDirs: { standardFontDataUrl: string; wasmUrl: string; cMapUrl: string; iccUrl: string } | null = null;

/**
 * pdf.js reads fonts, wasm decoders (JPEG 2000, JBIG2), CMaps and ICC profiles from these
 * folders with fs.readFile, so they must be plain paths (not file: URLs) ending in '/'.
 * Forward slashes work for Windows paths too.
 */
function assets() {
  if (!assetDirs) {
    const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')).replaceAll('\\', '/');
    assetDirs = {
      standardFontDataUrl: `${root}/standard_fonts/`,
      wasmUrl: `${root}/wasm/`,
      cMapUrl: `${root}/cmaps/`,
      iccUrl: `${root}/iccs/`,
    };
  }
  return assetDirs;
}

async function open(bytes: Uint8Array): Promise<{ doc: PdfDocument; destroy: () => Promise<void> }> {
  const lib = await pdfjs();
  const task = lib.getDocument({
    // A plain Uint8Array copy: pdf.js refuses Buffers and may transfer (detach) what it
    // gets, and Buffer#slice would share memory rather than copy.
    data: new Uint8Array(bytes),
    ...assets(),
    cMapPacked: true,
    // pdf.js 6 has no eval path left (the option is gone from its worker); kept so a
    // downgrade to a version that still has one cannot silently turn it back on.
    ...({ isEvalSupported: false } as object),
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: lib.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    return { doc, destroy: () => task.destroy() };
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw error;
  }
}

function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.byteLength - EOF_WINDOW));
  return tail.includes('%%EOF', 0, 'latin1');
}

/** A file with real PDF objects is a PDF that was cut off, not random bytes behind a header. */
function hasPdfObjects(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1 << 20)).toString('latin1');
  return /\d+\s+\d+\s+obj\b/.test(head);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function openProblem(error: unknown, bytes: Uint8Array): PdfProblem {
  const name = errorName(error);
  if (name === 'PasswordException') return new PdfProblem('encrypted', null, errorMessage(error));
  if (!hasEofMarker(bytes) && hasPdfObjects(bytes)) return new PdfProblem('truncated', null, errorMessage(error));
  if (name === 'InvalidPDFException') return new PdfProblem('corrupt', { key: 'import.reason.pdf_structure' }, errorMessage(error));
  return new PdfProblem('corrupt', { text: errorMessage(error) }, errorMessage(error));
}

/** Runs `use` on the opened document and always frees it; a file that does not open is a PdfProblem. */
async function withDocument<T>(bytes: Uint8Array, use: (doc: PdfDocument) => Promise<T>): Promise<T> {
  let opened;
  try {
    opened = await open(bytes);
  } catch (error) {
    throw openProblem(error, bytes);
  }
  try {
    return await use(opened.doc);
  } finally {
    await opened.destroy();
  }
}

type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** Draws a page at `scale` on a white canvas of its size. */
async function renderToCanvas(page: PdfPage, scale: number) {
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
  // @napi-rs/canvas is the canvas pdf.js itself uses in Node; its types are not the DOM's.
  await page.render({ canvas: canvas as unknown as RenderParams['canvas'], viewport, background: '#ffffff' }).promise;
  page.cleanup();
  return canvas;
}

/** Opens every page of a PDF; throws a PdfProblem for a file the archive should not take. */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfInfo> {
  return withDocument(bytes, async (doc) => {
    const pageCount = doc.numPages;
    if (pageCount < 1) throw new PdfProblem('corrupt', { key: 'import.reason.pdf_structure' }, 'no pages');
    for (let number = 1; number <= pageCount; number++) {
      try {
        const page = await doc.getPage(number);
        page.cleanup();
      } catch (error) {
        throw new PdfProblem('truncated', null, `page ${number}: ${errorMessage(error)}`);
      }
    }
    // pdf.js rebuilds a missing cross-reference table and opens what it finds; a file
    // without its end marker has still lost its tail, and possibly pages with it.
    if (!hasEofMarker(bytes)) throw new PdfProblem('truncated', null, 'no %%EOF in the last 1 KiB');
    return { pageCount };
  });
}

/** Renders page 1 as a PNG `widthPx` wide on a white background. */
export async function renderThumbnail(bytes: Uint8Array, widthPx = 160): Promise<Buffer> {
  return withDocument(bytes, async (doc) => {
    const page = await doc.getPage(1);
    const natural = page.getViewport({ scale: 1 });
    const canvas = await renderToCanvas(page, Math.min(widthPx / natural.width, (widthPx * MAX_THUMBNAIL_RATIO) / natural.height));
    return await canvas.encode('png');
  });
}

// --- separator sheets (main/core/separators): every page as pixels, for QR detection ---

/** One rendered page: RGBA samples, as a canvas's ImageData holds them. */
export interface PagePixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * Renders every page at `dpi` on white and hands each to `onPage` in order, one at a time
 * so only one page's pixels are held. A page that cannot be rendered is passed as null.
 */
export async function renderPages(
  bytes: Uint8Array,
  dpi: number,
  onPage: (pixels: PagePixels | null, index: number) => void,
  /** Only these pages (0-based), when given: separator detection renders only what its fast path could not read. */
  only?: (index: number) => boolean,
): Promise<void> {
  await withDocument(bytes, async (doc) => {
    for (let index = 0; index < doc.numPages; index++) {
      if (only && !only(index)) continue;
      let pixels: PagePixels | null;
      try {
        const canvas = await renderToCanvas(await doc.getPage(index + 1), dpi / 72);
        const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        pixels = { width: image.width, height: image.height, data: image.data };
      } catch {
        pixels = null;
      }
      onPage(pixels, index);
    }
  });
}
