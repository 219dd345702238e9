import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, concat, corpusAvailable, garbage, makePdf, pngPixels } from '../../../tests/fixtures/images';
import { inspectPdf, PdfProblem, renderThumbnail } from './index';

const corpus = (name: string) => new Uint8Array(readFileSync(join(CORPUS_DIR, name)));

async function problemOf(promise: Promise<unknown>): Promise<PdfProblem> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PdfProblem);
  return error as PdfProblem;
}

describe('inspectPdf', () => {
  it('counts the pages of a generated PDF and leaves the caller’s bytes usable', async () => {
    const bytes = await makePdf('SK PNS', 3);
    expect(await inspectPdf(bytes)).toEqual({ pageCount: 3 });
    // pdf.js detaches buffers it is given; ours must survive.
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(await inspectPdf(bytes)).toEqual({ pageCount: 3 });
  });

  it('takes a Node Buffer (what fs hands out) and does not detach or change it', async () => {
    const buffer = Buffer.from(await makePdf('SPMT', 2));
    const copy = Buffer.from(buffer);
    expect(await inspectPdf(buffer)).toEqual({ pageCount: 2 });
    await renderThumbnail(buffer);
    expect(buffer.equals(copy)).toBe(true);
  });

  it.runIf(corpusAvailable())('counts pdflatex-4-pages.pdf as 4 pages', async () => {
    expect(await inspectPdf(corpus('pdflatex-4-pages.pdf'))).toEqual({ pageCount: 4 });
  });

  it.runIf(corpusAvailable())('calls a password-protected PDF encrypted', async () => {
    expect((await problemOf(inspectPdf(corpus('libreoffice-writer-password.pdf')))).code).toBe('encrypted');
  });

  it('calls a PDF cut in half truncated', async () => {
    const whole = await makePdf('SK CPNS', 4);
    expect((await problemOf(inspectPdf(whole.slice(0, Math.floor(whole.length / 2))))).code).toBe('truncated');
  });

  it('calls a PDF missing only its tail truncated even when pdf.js could rebuild it', async () => {
    const whole = await makePdf('SK CPNS', 2);
    const cut = whole.slice(0, whole.length - 40);
    expect((await problemOf(inspectPdf(cut))).code).toBe('truncated');
  });

  it('calls random bytes behind a PDF header corrupt, with the reason', async () => {
    const problem = await problemOf(inspectPdf(concat(new TextEncoder().encode('%PDF-1.7\n'), garbage(5000))));
    expect(problem.code).toBe('corrupt');
    expect(problem.reason).toEqual({ key: 'import.reason.pdf_structure' });
  });

  it('calls garbage that even ends like a PDF corrupt', async () => {
    const bytes = concat(new TextEncoder().encode('%PDF-1.4\n'), garbage(3000, 7), new TextEncoder().encode('\n%%EOF\n'));
    expect((await problemOf(inspectPdf(bytes))).code).toBe('corrupt');
  });
});

describe('renderThumbnail', () => {
  it('renders page 1 as a PNG 160 px wide with the page’s proportions', async () => {
    const png = await renderThumbnail(await makePdf('DRH'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const pixels = await pngPixels(png);
    expect(pixels.width).toBe(160);
    expect(pixels.height).toBe(Math.round((160 * 842) / 595));
    // White paper, opaque.
    expect(pixels.at(2, pixels.height - 3)).toEqual([255, 255, 255, 255]);
  });

  it.runIf(corpusAvailable())('renders every real-world PDF that opens', async () => {
    for (const name of ['002-trivial-libre-office-writer.pdf', 'cmyk-image.pdf', 'imagemagick-CCITTFaxDecode.pdf', 'pdflatex-4-pages.pdf']) {
      const pixels = await pngPixels(await renderThumbnail(corpus(name), 120));
      expect(pixels.width, name).toBe(120);
    }
  });

  it('refuses a broken PDF with a problem, not a crash', async () => {
    expect((await problemOf(renderThumbnail(garbage(100)))).code).toBe('corrupt');
  });
});

describe('untrusted PDFs', () => {
  it('does not run a PDF’s JavaScript when inspecting or rendering it', async () => {
    const doc = await PDFDocument.load(await makePdf('SK'));
    const action = doc.context.obj({ S: 'JavaScript', JS: PDFString.of('globalThis.lemariPwned = true; app.alert(1);') });
    doc.catalog.set(PDFName.of('OpenAction'), action);
    const bytes = await doc.save();
    const global = globalThis as { lemariPwned?: boolean };
    expect(await inspectPdf(bytes)).toEqual({ pageCount: 1 });
    await renderThumbnail(bytes);
    expect(global.lemariPwned).toBeUndefined();
  });
});
