import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feederStackPdf, letterLines, type StackPage } from '../../../tests/fixtures/feeder-stack';
import { renderPages } from '../../infra/pdf';
import { detectSeparators, findSeparator, type DetectStats } from './detect';
import { scanContent } from './page-image';
import { createDetectPool, DetectTimeout } from './pool';
import { separatorSheetsPdf } from './sheet';

const BUDI = '199001012015031001';
const SHEET_TEXT = { banner: 'LEMBAR PEMISAH', nip: 'NIP', nama: 'Nama', type: 'Jenis', historyRef: 'Riwayat', instruction: '-' };
const sheet = (typeCode: string, damaged = false): StackPage => ({ kind: 'sheet', spec: { nip: BUDI, typeCode, nama: 'Budi', typeName: typeCode }, damaged });
const text = (seed: number, qr?: string): StackPage => ({ kind: 'text', lines: letterLines(seed, 20), qr });
const look = (index: number) => ({ dpi: 150, angle: [2.5, -2.8, 1][index % 3], noise: 0.01, seed: 700 + index });
const labels = (marks: Awaited<ReturnType<typeof detectSeparators>>) => marks.map((mark) => mark?.typeCode ?? null);

/** The reference: every page rendered by pdf.js, as detection worked before the fast path. */
async function renderedMarks(pdf: Uint8Array) {
  const marks: (string | null)[] = [];
  await renderPages(pdf, 100, (pixels) => marks.push(pixels ? (findSeparator(pixels)?.typeCode ?? null) : null));
  return marks;
}

let stack: Uint8Array;
beforeAll(async () => {
  // A sheet, a page with a foreign (TTE) QR code, a torn sheet and plain text: every verdict.
  stack = await feederStackPdf([sheet('DRH'), text(1, 'https://tte.example.go.id/verify/1'), sheet('SKP', true), text(2)], look);
}, 60_000);

describe('separator detection, fast path', () => {
  it('reads plain scans from their JPEG and gives the same verdict as the pdf.js render on every page', { timeout: 60_000 }, async () => {
    const stats: DetectStats = { fast: 0, rendered: 0, textOnly: 0 };
    const marks = await detectSeparators(stack, undefined, stats);
    expect(stats).toEqual({ fast: 4, rendered: 0, textOnly: 0 });
    expect(labels(marks)).toEqual(['DRH', null, null, null]);
    expect(labels(marks)).toEqual(await renderedMarks(stack));
  });

  it('renders with pdf.js what is not one image over the page (the printed vector sheet), and skips text-only pages', { timeout: 30_000 }, async () => {
    const printed = await separatorSheetsPdf([{ nip: BUDI, typeCode: 'IJAZAH', nama: 'Budi', typeName: 'Ijazah' }], SHEET_TEXT);
    const mixed = await PDFDocument.load(stack);
    const [vector] = await mixed.copyPages(await PDFDocument.load(printed), [0]);
    mixed.addPage(vector);
    // A born-digital page of typed text cannot show a code: not rendered at all.
    const font = await mixed.embedFont(StandardFonts.Helvetica);
    mixed.addPage([595, 842]).drawText('KEPUTUSAN KEPALA BADAN KEPEGAWAIAN', { x: 60, y: 760, size: 14, font });
    const stats: DetectStats = { fast: 0, rendered: 0, textOnly: 0 };
    expect(labels(await detectSeparators(await mixed.save(), undefined, stats))).toEqual(['DRH', null, null, null, 'IJAZAH', null]);
    expect(stats).toEqual({ fast: 4, rendered: 1, textOnly: 1 });
  });

  it('decodes Flate-compressed scans (PNG embedded by pdf-lib) too', { timeout: 30_000 }, async () => {
    const printed = await separatorSheetsPdf([{ nip: BUDI, typeCode: 'SKP', nama: 'Budi', typeName: 'SKP' }], SHEET_TEXT);
    const canvas = createCanvas(1240, 1754);
    await renderPages(printed, 150, (pixels) => {
      const image = canvas.getContext('2d').createImageData(pixels!.width, pixels!.height);
      image.data.set(pixels!.data);
      canvas.getContext('2d').putImageData(image, 0, 0);
    });
    const doc = await PDFDocument.create();
    for (let i = 0; i < 2; i++) {
      const page = doc.addPage([595.44, 841.68]);
      page.drawImage(await doc.embedPng(await canvas.encode('png')), { x: 0, y: 0, width: 595.44, height: 841.68 });
    }
    const stats: DetectStats = { fast: 0, rendered: 0, textOnly: 0 };
    expect(labels(await detectSeparators(await doc.save(), undefined, stats))).toEqual(['SKP', 'SKP']);
    expect(stats.fast).toBe(2);
  });

  it('tells a page made of one image from one that also paints (vector drawing, a second image)', () => {
    const scan = scanContent('q 595 0 0 842 0 0 cm /Im0 Do Q');
    expect(scan).toEqual({ draws: [{ name: 'Im0', ctm: [595, 0, 0, 842, 0, 0] }], paints: false });
    // pdf-lib's drawImage: translate, then scale, nested in q/Q.
    expect(scanContent('q\n1 0 0 1 0 0 cm\n595.44 0 0 841.68 0 0 cm\n/Image-1 Do\nQ').draws[0].ctm).toEqual([595.44, 0, 0, 841.68, 0, 0]);
    // An OCR text layer (invisible text, strings with brackets) does not count as painting.
    expect(scanContent('q 595 0 0 842 0 0 cm /Im0 Do Q BT 3 Tr /F1 9 Tf 10 10 Td (a \\) b [x]) Tj <0041> Tj ET').paints).toBe(false);
    expect(scanContent('/Span <</ActualText (x)>> BDC q 595 0 0 842 0 0 cm /Im0 Do Q EMC').paints).toBe(false);
    expect(scanContent('q 595 0 0 842 0 0 cm /Im0 Do Q 0 0 10 10 re f').paints).toBe(true);
  });
});

describe('separator detection, worker thread', () => {
  const pool = createDetectPool();
  afterAll(() => pool.close());

  it('runs on a worker thread, so the event loop stays free while a stack is searched', { timeout: 120_000 }, async () => {
    expect(pool.threaded).toBe(true);
    /** The longest the event loop went without turning while `work` ran. */
    async function longestStall(work: () => Promise<unknown>): Promise<{ stall: number; result: unknown }> {
      let last = performance.now();
      let stall = 0;
      let running = true;
      const tick = () => {
        const now = performance.now();
        stall = Math.max(stall, now - last);
        last = now;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      const result = await work();
      running = false;
      return { stall, result };
    }
    await pool.detect(stack, 4); // the worker's start-up (loading pdf.js) is not what is measured
    const inProcess = await longestStall(() => detectSeparators(stack));
    const threaded = await longestStall(() => pool.detect(stack, 4));
    expect(labels(threaded.result as Awaited<ReturnType<typeof detectSeparators>>)).toEqual(['DRH', null, null, null]);
    expect(threaded.stall).toBeLessThan(inProcess.stall / 2);
  });

  it('ends a search that takes too long, and the next stack gets a fresh worker', { timeout: 120_000 }, async () => {
    let limit = 1;
    const strict = createDetectPool({ timeoutMs: () => limit });
    try {
      await expect(strict.detect(stack, 4)).rejects.toBeInstanceOf(DetectTimeout);
      limit = 60_000;
      expect(labels(await strict.detect(stack, 4))).toEqual(['DRH', null, null, null]);
    } finally {
      await strict.close();
    }
  });
});
