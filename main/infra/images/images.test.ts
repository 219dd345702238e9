import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { CMYK_ADOBE_JPEG, CORPUS_DIR, GREY_JPEG, concat, corpusAvailable, corpusFiles, garbage, makeJpeg, makePng, makeThreePageTiff, pngPixels, withJfifDpi } from '../../../tests/fixtures/images';
import { encodeTiff } from '../../../tests/fixtures/tiff';
import { inspectPdf, renderThumbnail } from '../pdf';
import { ImageProblem, imagesToPdf, MAX_PIXELS } from './index';

async function problemOf(promise: Promise<unknown>): Promise<ImageProblem> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImageProblem);
  return error as ImageProblem;
}

/** Each page's size in points and its image XObject's dictionary. */
async function pagesOf(pdf: Uint8Array) {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((page) => {
    const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'), PDFDict);
    const image = xobjects?.lookup(xobjects.keys()[0]) as PDFRawStream;
    const entry = (key: string) => image.dict.get(PDFName.of(key));
    return {
      size: page.getSize(),
      image,
      width: (entry('Width') as PDFNumber).asNumber(),
      height: (entry('Height') as PDFNumber).asNumber(),
      colorSpace: entry('ColorSpace')?.toString(),
      bits: (entry('BitsPerComponent') as PDFNumber).asNumber(),
      filter: entry('Filter')?.toString(),
    };
  });
}

describe('imagesToPdf: JPEG', () => {
  it('embeds the JPEG bytes unchanged (no second lossy encode)', async () => {
    const jpeg = await makeJpeg(240, 320);
    const { pdf, pageCount } = await imagesToPdf('jpeg', jpeg);
    expect(pageCount).toBe(1);
    const [page] = await pagesOf(pdf);
    expect(page.filter).toBe('/DCTDecode');
    expect(Buffer.compare(Buffer.from(page.image.getContents()), jpeg)).toBe(0);
    expect(await inspectPdf(pdf)).toEqual({ pageCount: 1 });
  });

  it('sizes the page from the JFIF density, 300 dpi when it has none', async () => {
    const jpeg = await makeJpeg(300, 600);
    const [plain] = await pagesOf((await imagesToPdf('jpeg', jpeg)).pdf);
    expect(plain.size).toEqual({ width: 72, height: 144 });
    const [dense] = await pagesOf((await imagesToPdf('jpeg', withJfifDpi(jpeg, 150))).pdf);
    expect(dense.size).toEqual({ width: 144, height: 288 });
  });

  it('gives the same PDF bytes for the same JPEG', async () => {
    const jpeg = await makeJpeg();
    expect(Buffer.from((await imagesToPdf('jpeg', jpeg)).pdf).equals(Buffer.from((await imagesToPdf('jpeg', jpeg)).pdf))).toBe(true);
  });

  it('refuses a JPEG cut off before its end', async () => {
    const jpeg = await makeJpeg();
    const problem = await problemOf(imagesToPdf('jpeg', jpeg.subarray(0, Math.floor(jpeg.length * 0.6))));
    expect(problem.reason).toMatchObject({ key: 'import.reason.image_decode' });
  });

  it('refuses a JPEG header followed by garbage', async () => {
    await problemOf(imagesToPdf('jpeg', concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0), garbage(2000))));
  });

  it('keeps a grey JPEG grey and shows an Adobe CMYK JPEG in its colours (inks inverted back)', async () => {
    const grey = await pagesOf((await imagesToPdf('jpeg', GREY_JPEG)).pdf);
    expect(grey[0].colorSpace).toBe('/DeviceGray');
    expect(await middlePixel((await imagesToPdf('jpeg', GREY_JPEG)).pdf)).toEqual([90, 90, 90]);
    const cmyk = await imagesToPdf('jpeg', CMYK_ADOBE_JPEG);
    const [page] = await pagesOf(cmyk.pdf);
    expect(page.colorSpace).toBe('/DeviceCMYK');
    expect(page.image.dict.get(PDFName.of('Decode'))?.toString()).toBe('[ 1 0 1 0 1 0 1 0 ]');
    // rgb(200, 30, 30) through CMYK: red, not the cyan an uninverted Decode gives.
    const [r, g, b] = await middlePixel(cmyk.pdf);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
  });

  it('writes a cross-reference table whose every offset is the start of its object', async () => {
    // Readers rebuild a broken table silently, so the offsets are checked here byte by byte.
    for (const jpeg of [await makeJpeg(240, 320), withJfifDpi(await makeJpeg(301, 433), 200), CMYK_ADOBE_JPEG]) {
      const pdf = Buffer.from((await imagesToPdf('jpeg', jpeg)).pdf);
      const text = pdf.toString('latin1');
      const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
      expect(text.slice(startxref, startxref + 9)).toBe('xref\n0 6\n');
      const entries = text.slice(startxref + 9).split('trailer')[0];
      expect(entries.length).toBe(6 * 20);
      for (let object = 1; object < 6; object++) {
        const offset = Number(entries.slice(object * 20, object * 20 + 10));
        expect(text.slice(offset, offset + `${object} 0 obj`.length)).toBe(`${object} 0 obj`);
      }
      // Each stream's /Length is its byte count.
      for (const match of text.matchAll(/\/Length (\d+) >>\nstream\n/g)) {
        const from = match.index + match[0].length;
        expect(text.slice(from + Number(match[1]), from + Number(match[1]) + 10)).toBe('\nendstream');
      }
      expect(await inspectPdf(pdf)).toEqual({ pageCount: 1 });
    }
  });
});

/** The colour in the middle of page 1 as pdf.js draws it. */
async function middlePixel(pdf: Uint8Array): Promise<number[]> {
  const image = await loadImage(await renderThumbnail(pdf, 64));
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return Array.from(context.getImageData(image.width >> 1, image.height >> 1, 1, 1).data.subarray(0, 3));
}

describe('imagesToPdf: PNG', () => {
  it('converts a PNG and sizes the page from pHYs', async () => {
    const png = await makePng(200, 100);
    const { pdf, pageCount } = await imagesToPdf('png', png);
    expect(pageCount).toBe(1);
    const [page] = await pagesOf(pdf);
    expect(page.size).toEqual({ width: 48, height: 24 });
    // Insert a pHYs chunk of 200 dpi (7874 px/m) before IDAT.
    const phys = pngChunk('pHYs', Uint8Array.of(0, 0, 0x1e, 0xc2, 0, 0, 0x1e, 0xc2, 1));
    const withPhys = concat(png.subarray(0, 33), phys, png.subarray(33));
    const [dense] = await pagesOf((await imagesToPdf('png', withPhys)).pdf);
    expect(dense.size.width).toBeCloseTo(72, 1);
  });

  it('refuses a PNG with a damaged chunk or a missing end', async () => {
    const png = await makePng();
    const damaged = Uint8Array.from(png);
    // One flipped bit inside the pixel data: only the CRC can tell.
    damaged[Buffer.from(png).indexOf('IDAT') + 20] ^= 0x01;
    expect((await problemOf(imagesToPdf('png', damaged))).message).toMatch(/IDAT is damaged/);
    const cut = await problemOf(imagesToPdf('png', png.subarray(0, png.length - 30)));
    expect(cut.message).toMatch(/IEND|past the end/);
  });
});

describe('imagesToPdf: TIFF', () => {
  it('makes one page per TIFF page with the right colour form and paper size', async () => {
    const { bytes } = makeThreePageTiff();
    const { pdf, pageCount } = await imagesToPdf('tiff', bytes);
    expect(pageCount).toBe(3);
    const pages = await pagesOf(pdf);
    expect(pages.map((p) => [p.width, p.height, p.colorSpace, p.bits, p.filter])).toEqual([
      [200, 300, '/DeviceRGB', 8, '/FlateDecode'],
      [150, 100, '/DeviceGray', 8, '/FlateDecode'],
      [330, 90, '/DeviceGray', 1, '/FlateDecode'],
    ]);
    // 200 px at 100 dpi = 2 inches; 150 px at 150 dpi = 1 inch; 330 px at the default 300 dpi.
    expect(pages.map((p) => p.size)).toEqual([
      { width: 144, height: 216 },
      { width: 72, height: 48 },
      { width: 79.2, height: 21.6 },
    ]);
    expect(await inspectPdf(pdf)).toEqual({ pageCount: 3 });
  });

  it('keeps the pixels: a rendered colour page shows its colours where they were', async () => {
    const { bytes } = makeThreePageTiff();
    const { pdf } = await imagesToPdf('tiff', bytes);
    const pixels = await pngPixels(await renderThumbnail(pdf, 200));
    const [r1, g1, b1] = pixels.at(50, 150);
    const [r2, g2, b2] = pixels.at(150, 150);
    expect(r1).toBeGreaterThan(180);
    expect(b1).toBeLessThan(60);
    expect(g1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(180);
    expect(r2).toBeLessThan(60);
    expect(g2).toBeLessThan(60);
  });

  it('keeps black-and-white pages black and white (1-bit, set bit = white)', async () => {
    const bytes = encodeTiff([{ width: 64, height: 64, kind: 'bilevel', dpi: 72, pixel: (x) => (x < 32 ? [0, 0, 0] : [255, 255, 255]) }]);
    const pixels = await pngPixels(await renderThumbnail((await imagesToPdf('tiff', bytes)).pdf, 64));
    expect(pixels.at(10, 32).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixels.at(54, 32).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('keeps grey levels', async () => {
    const bytes = encodeTiff([{ width: 32, height: 32, kind: 'gray', dpi: 72, pixel: (x) => [x < 16 ? 64 : 192, 0, 0] }]);
    const pixels = await pngPixels(await renderThumbnail((await imagesToPdf('tiff', bytes)).pdf, 32));
    expect(pixels.at(4, 16)[0]).toBeGreaterThan(54);
    expect(pixels.at(4, 16)[0]).toBeLessThan(74);
    expect(pixels.at(28, 16)[0]).toBeGreaterThan(182);
    expect(pixels.at(28, 16)[0]).toBeLessThan(202);
  });

  it.runIf(corpusAvailable())('converts the real-world TIFFs (deflate, LZW, PackBits)', async () => {
    for (const name of corpusFiles('.tiff')) {
      const { pdf, pageCount } = await imagesToPdf('tiff', new Uint8Array(readFileSync(join(CORPUS_DIR, name))));
      expect(pageCount, name).toBe(1);
      expect(await inspectPdf(pdf), name).toEqual({ pageCount: 1 });
    }
  });

  it('refuses a TIFF header with nothing behind it', async () => {
    const problem = await problemOf(imagesToPdf('tiff', concat(Uint8Array.of(0x49, 0x49, 0x2a, 0x00), garbage(64))));
    expect(problem.code).toBe('bad_image');
  });

  it('refuses an image larger than the pixel limit before decoding it', async () => {
    const side = Math.ceil(Math.sqrt(MAX_PIXELS)) + 1;
    // A tiny file that claims a huge page: the header alone must be enough to refuse it.
    const tiff = encodeTiff([{ width: 1, height: 1, kind: 'gray', pixel: () => [0, 0, 0] }]);
    const view = new DataView(tiff.buffer);
    // Width and height are the 2nd and 3rd IFD entries (LONG values).
    const ifd = view.getUint32(4, true);
    view.setUint32(ifd + 2 + 12 + 8, side, true);
    view.setUint32(ifd + 2 + 24 + 8, side, true);
    const problem = await problemOf(imagesToPdf('tiff', tiff));
    expect(problem.reason).toMatchObject({ key: 'import.reason.image_too_big' });
  });
});

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
