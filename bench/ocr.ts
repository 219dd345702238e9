// OCR (issue 6): generated SK pages (main/infra/ocr/sk-sample.ts: A4 at 300 dpi, Indonesian
// decree text, some rotated up to 2 degrees and speckled), imported as PDFs the way a scan
// is, then read as the background queue reads them: renderPages at 300 dpi, tesseract.js
// with the Indonesian data from npm on its worker thread. Measured: time per page (render
// and OCR) and whether the proposals hold the NIP, nomor, tanggal SK and TMT printed on
// the page, plus word accuracy against the text drawn. One worker: the queue reads one page
// at a time and leaves the other core to the clerk. Raw pages are cleaned (grey, isolated
// specks removed: main/infra/ocr/despeckle.ts) on that worker before tesseract reads them;
// the cleaning's own cost is timed here on the same page, outside the worker.

import { pathToFileURL } from 'node:url';
import { extractFields, OCR_DPI, PAGE_TIMEOUT_MS, wordAccuracy } from '../main/core/ocr';
import { imagesToPdf } from '../main/infra/images';
import { createTesseractRecognizer, despeckle, rgbaToGrey, type Recognized } from '../main/infra/ocr';
import { renderSkPage, skLines, type RenderOptions, type SkSample } from '../main/infra/ocr/sk-sample';
import { renderPages, type PagePixels } from '../main/infra/pdf';
import { ms, stats, type BenchOptions, type BenchResult, type Table } from './lib/common';
import { seeded } from '../tests/fixtures/feeder-stack';

const NAMES = ['Budi Santoso', 'Sri Rahayu', 'Agus Setiawan', 'Dewi Lestari', 'Eko Prasetyo', 'Siti Aminah'];
const LOOKS: { label: string; look: RenderOptions }[] = [
  { label: 'clean', look: {} },
  { label: 'rotated 1°', look: { rotate: 1 } },
  { label: 'rotated -2°, speckled', look: { rotate: -2, noise: 0.0004 } },
  { label: 'speckled', look: { noise: 0.0008 } },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function samples(count: number): SkSample[] {
  const random = seeded(11);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  return Array.from({ length: count }, (_, i) => {
    const birth = `${int(1965, 1995)}${pad(int(1, 12))}${pad(int(1, 28))}`;
    const cpnsYear = Number(birth.slice(0, 4)) + int(22, 30);
    const nip = `${birth}${cpnsYear}${pad(int(1, 12))}${int(1, 2)}${pad(int(1, 40), 3)}`;
    const year = Math.min(2025, cpnsYear + int(2, 12));
    const month = int(1, 11);
    return {
      nip,
      nomor: i % 2 === 0 ? `823.3/${int(100, 9999)}/BKD/${year}` : `800/${int(10, 999)}/${year}`,
      tanggal: `${year}-${pad(month)}-${pad(int(1, 28))}`,
      tmt: `${year}-${pad(month + 1)}-01`,
      nama: NAMES[i % NAMES.length],
    };
  });
}

export default async function ocrBench(options: BenchOptions): Promise<BenchResult> {
  const pages = samples(options.quick ? 4 : 16);
  const recognizer = createTesseractRecognizer();
  const today = { y: 2026, m: 11, d: 24 };
  const renderMs: number[] = [];
  const ocrMs: number[] = [];
  const cleanMs: number[] = [];
  const specks: number[] = [];
  const perLook = new Map<string, { pages: number; fields: number; right: number; words: number[] }>();
  const perField = { nip: 0, nomor: 0, tanggal: 0, tmt: 0 };
  // Worker start and language load, once per app run.
  const warm = performance.now();
  await recognizer.recognize(renderSkPage(pages[0], { lines: 2 }), { timeoutMs: 60_000 }).catch(async (error: unknown) => {
    await recognizer.terminate();
    throw error;
  });
  const first = performance.now() - warm;
  try {
    for (const [index, sample] of pages.entries()) {
      const { label, look } = LOOKS[index % LOOKS.length];
      const { pdf } = await imagesToPdf('png', renderSkPage(sample, { ...look, seed: index + 1 }));
      let t0 = performance.now();
      let pixels: PagePixels | null = null;
      await renderPages(pdf, OCR_DPI, (rendered) => (pixels = rendered));
      renderMs.push(performance.now() - t0);
      const page = pixels as PagePixels | null;
      if (!page) throw new Error('page did not render');
      const rgba = new Uint8Array(page.data.buffer, page.data.byteOffset, page.data.byteLength);
      t0 = performance.now();
      specks.push(despeckle(rgbaToGrey(rgba, page.width, page.height), page.width, page.height));
      cleanMs.push(performance.now() - t0);
      t0 = performance.now();
      const read: Recognized = await recognizer.recognize({ rgba, width: page.width, height: page.height }, { timeoutMs: 60_000 });
      ocrMs.push(performance.now() - t0);
      const found = extractFields(read.text, today);
      const row = perLook.get(label) ?? { pages: 0, fields: 0, right: 0, words: [] };
      row.pages++;
      for (const key of ['nip', 'nomor', 'tanggal', 'tmt'] as const) {
        row.fields++;
        if (found[key] === sample[key]) {
          row.right++;
          perField[key]++;
        }
      }
      row.words.push(wordAccuracy(skLines(sample).join('\n'), read.text));
      perLook.set(label, row);
      options.log(`  page ${index + 1}/${pages.length} (${label}): ${ms(ocrMs.at(-1)!)} ms, ${specks.at(-1)} specks, ${JSON.stringify(found)}`);
    }
  } finally {
    await recognizer.terminate();
  }
  const ocr = stats(ocrMs);
  const render = stats(renderMs);
  const clean = stats(cleanMs);
  const percent = (n: number, of: number) => `${((n / of) * 100).toFixed(0)}% (${n}/${of})`;
  const timing: Table = {
    title: `Time per A4 page at ${OCR_DPI} dpi (ms), one tesseract worker`,
    headers: ['step', 'p50', 'p95', 'max'],
    rows: [
      ['render the PDF page (pdf.js + @napi-rs/canvas)', ms(render.p50), ms(render.p95), ms(render.max)],
      ['clean: grey + despeckle (JS, timed outside the worker)', ms(clean.p50), ms(clean.p95), ms(clean.max)],
      ['OCR incl. cleaning (tesseract.js 7, ind best_int, LSTM)', ms(ocr.p50), ms(ocr.p95), ms(ocr.max)],
      ['worker start + language load (once per run)', ms(first), '-', '-'],
    ],
  };
  const accuracy: Table = {
    title: 'Field extraction from the OCR text',
    headers: ['pages', 'n', 'fields right (NIP, nomor, tanggal, TMT)', 'word accuracy (mean)'],
    rows: [...perLook].map(([label, row]) => [label, row.pages, percent(row.right, row.fields), `${((row.words.reduce((a, b) => a + b, 0) / row.words.length) * 100).toFixed(1)}%`]),
  };
  const fields: Table = {
    title: 'Per field, all pages',
    headers: ['field', 'right'],
    rows: Object.entries(perField).map(([key, right]) => [key, percent(right, pages.length)]),
  };
  return {
    name: 'ocr',
    tables: [timing, accuracy, fields],
    notes: [
      `The background queue (main/core/ocr) runs these two steps per page, with a page timeout of ${PAGE_TIMEOUT_MS / 1000} s.`,
      'A field counts as right only when the proposal equals what was printed. A field not read is not proposed; a misread one can be (an SK number with / read as I), which is why the clerk confirms every proposal.',
      `Specks removed per page: clean and rotated pages ${specks.filter((_, i) => i % LOOKS.length < 2).join(', ')}; speckled pages ${specks.filter((_, i) => i % LOOKS.length >= 2).join(', ')}.`,
      'Word accuracy counts every extra word as an error, so speckles read as short junk words push it towards 0 even where the fields were read.',
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await ocrBench({ quick: process.argv.includes('--quick'), fresh: false, build: false, log: console.error });
  console.log(JSON.stringify(result, null, 2));
}
