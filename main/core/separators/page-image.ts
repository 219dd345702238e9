// Fast path for separator detection. A scanned page is almost always one image drawn over
// the whole page: then its pixels are the scanner's image, and decoding that image natively
// (@napi-rs/canvas: libjpeg, zlib) and scaling it to the detection resolution gives what the
// pdf.js render gives, at a fraction of the cost (pdf.js decodes JPEG in JavaScript). A page
// of nothing but text cannot hold a code and is not looked at. Any other page this cannot vouch for (vector drawing, which is how the app's own printed sheets are made,
// several images, masks, odd colour spaces or filters) is left to the pdf.js render.

import { createCanvas, loadImage } from '@napi-rs/canvas';
import { inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, type PDFPage } from 'pdf-lib';
import type { PagePixels } from '../../infra/pdf';

type Matrix = [number, number, number, number, number, number];

/** Share of the page the image must cover: a scan fills it; a logo or a stamp does not. */
const MIN_COVER = 0.8;
/** Operators that paint something other than the one image: such a page goes to pdf.js. */
const PAINTING = new Set(['f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'S', 's', 'sh', 'BI', 'ID', 'EI', 'd0', 'd1']);

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

const DELIMITER = /[\s()<>[\]{}/%]/;

/**
 * Walks a content stream for what matters here: the transform each XObject is drawn with,
 * and whether anything else is painted. Strings, dictionaries and arrays (text, marked
 * content) are skipped whole; an invisible OCR text layer does not disqualify a scan.
 */
export function scanContent(text: string): { draws: { name: string; ctm: Matrix }[]; paints: boolean } {
  const draws: { name: string; ctm: Matrix }[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let operands: string[] = [];
  let paints = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '%') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (ch === '(') {
      let depth = 0;
      for (; i < n; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '(') depth++;
        else if (text[i] === ')' && --depth === 0) break;
      }
      i++;
      operands.push('(string)');
    } else if (ch === '<' && text[i + 1] !== '<') {
      i = text.indexOf('>', i) + 1 || n;
      operands.push('<string>');
    } else if ('<>[]{}'.includes(ch)) {
      // Dictionary and array brackets: their contents stay operands until the operator.
      i += ch === '<' || ch === '>' ? 2 : 1;
    } else {
      let end = i + 1;
      while (end < n && !DELIMITER.test(text[end])) end++;
      const token = text.slice(i, end);
      i = end;
      if (ch === '/' || /^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
        operands.push(token);
        continue;
      }
      if (token === 'q') stack.push(ctm);
      else if (token === 'Q') ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
      else if (token === 'cm') {
        const values = operands.slice(-6).map(Number);
        if (values.length !== 6 || values.some((value) => !Number.isFinite(value))) return { draws, paints: true };
        ctm = multiply(values as Matrix, ctm);
      } else if (token === 'Do') draws.push({ name: operands.at(-1)?.slice(1) ?? '', ctm });
      else if (PAINTING.has(token)) paints = true;
      operands = [];
    }
  }
  return { draws, paints };
}

function contentText(page: PDFPage): string | null {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  let text = '';
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) return null;
    text += Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1') + '\n';
  }
  return text;
}

function nameOf(dict: PDFDict, key: string): string | undefined {
  const value = dict.lookup(PDFName.of(key));
  if (value instanceof PDFName) return value.decodeText();
  if (value instanceof PDFArray && value.size() === 1) {
    const only = value.lookup(0);
    if (only instanceof PDFName) return only.decodeText();
  }
  return undefined;
}

function numberOf(dict: PDFDict, key: string): number | undefined {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

/** Colour channels of a colour space a scan uses (grey or RGB, also as an ICC profile); null for anything else. */
function channels(dict: PDFDict): 1 | 3 | null {
  const space = dict.lookup(PDFName.of('ColorSpace'));
  const name = nameOf(dict, 'ColorSpace');
  if (name === 'DeviceGray') return 1;
  if (name === 'DeviceRGB') return 3;
  if (space instanceof PDFArray && space.size() === 2 && space.lookup(0) instanceof PDFName && (space.lookup(0) as PDFName).decodeText() === 'ICCBased') {
    const profile = space.lookup(1);
    const count = profile instanceof PDFRawStream ? numberOf(profile.dict, 'N') : undefined;
    return count === 1 ? 1 : count === 3 ? 3 : null;
  }
  return null;
}

/** Flate-compressed samples (no predictor), 8-bit grey or RGB or 1-bit grey, as an RGBA canvas. */
function rawSamples(stream: PDFRawStream, width: number, height: number, colours: 1 | 3) {
  const bits = numberOf(stream.dict, 'BitsPerComponent');
  if (stream.dict.has(PDFName.of('DecodeParms')) || !(bits === 8 || (bits === 1 && colours === 1))) return null;
  const samples = inflateSync(stream.contents);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  const out = image.data;
  const rowBytes = bits === 1 ? (width + 7) >> 3 : width * colours;
  if (samples.length < rowBytes * height) return null;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      if (bits === 1) out[p] = out[p + 1] = out[p + 2] = (samples[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1 ? 255 : 0;
      else if (colours === 1) out[p] = out[p + 1] = out[p + 2] = samples[y * rowBytes + x];
      else for (let c = 0; c < 3; c++) out[p + c] = samples[y * rowBytes + x * 3 + c];
      out[p + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** The one image a page is made of, or null when the page is anything more or less. */
function soleImage(page: PDFPage): { image: PDFRawStream; ctm: Matrix } | null {
  const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'));
  if (!(xobjects instanceof PDFDict) || xobjects.keys().length !== 1) return null;
  const [key] = xobjects.keys();
  const image = xobjects.lookup(key);
  if (!(image instanceof PDFRawStream) || nameOf(image.dict, 'Subtype') !== 'Image') return null;
  const text = contentText(page);
  if (text === null) return null;
  const { draws, paints } = scanContent(text);
  if (paints || draws.length !== 1 || draws[0].name !== key.decodeText()) return null;
  const [a, b, c, d] = draws[0].ctm;
  const { width, height } = page.getCropBox();
  return Math.abs(a * d - b * c) >= MIN_COVER * width * height ? { image, ctm: draws[0].ctm } : null;
}

/**
 * Whether the page cannot show a QR code at all: no images or forms, no patterns or
 * shadings, no Type 3 (drawn) fonts, and nothing painted but text. A born-digital page of
 * typed text (an SK as the office's software saves it) is then not rendered for nothing.
 */
export function cannotHoldCode(page: PDFPage): boolean {
  const resources = page.node.Resources();
  if (resources) {
    for (const key of ['XObject', 'Pattern', 'Shading']) {
      const entries = resources.lookup(PDFName.of(key));
      if (entries instanceof PDFDict && entries.keys().length > 0) return false;
    }
    const fonts = resources.lookup(PDFName.of('Font'));
    if (fonts instanceof PDFDict && fonts.keys().some((name) => { const font = fonts.lookup(name); return !(font instanceof PDFDict) || nameOf(font, 'Subtype') === 'Type3'; })) return false;
  }
  const text = contentText(page);
  return text !== null && !scanContent(text).paints;
}

/**
 * The page as detection pixels at `dpi` (the size pdf.js would render it), decoded from its
 * one image; null when the page is not a plain scan (the caller renders it with pdf.js).
 */
export async function scannedPagePixels(page: PDFPage, dpi: number): Promise<PagePixels | null> {
  const sole = soleImage(page);
  if (!sole) return null;
  const { image, ctm } = sole;
  const { dict } = image;
  const width = numberOf(dict, 'Width');
  const height = numberOf(dict, 'Height');
  const colours = channels(dict);
  // Masks, inverted decode ranges and transparency change what is seen: pdf.js handles those.
  if (!width || !height || colours === null || dict.has(PDFName.of('SMask')) || dict.has(PDFName.of('Mask')) || dict.has(PDFName.of('Decode')) || dict.has(PDFName.of('ImageMask'))) return null;
  const filter = nameOf(dict, 'Filter');
  let source;
  if (filter === 'DCTDecode') source = await loadImage(Buffer.from(image.contents));
  else if (filter === 'FlateDecode') source = rawSamples(image, width, height, colours);
  else return null;
  if (!source) return null;
  // Drawn at the size the page shows it at `dpi`, in the image's own orientation: jsQR
  // reads a code at any angle, only the pixels a module spans matter.
  const [a, b, c, d] = ctm;
  const scale = dpi / 72;
  const w = Math.max(1, Math.round(Math.hypot(a, b) * scale));
  const h = Math.max(1, Math.round(Math.hypot(c, d) * scale));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, w, h);
  const pixels = ctx.getImageData(0, 0, w, h);
  return { width: w, height: h, data: pixels.data };
}
