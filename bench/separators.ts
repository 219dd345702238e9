// Separator sheet detection (issue 6): a generated feeder stack of 200 pages at 150 dpi,
// every page skewed up to 3 degrees, grey, speckled, JPEG, as tests/fixtures/feeder-stack.ts
// makes them: documents of 1-7 typed pages, each behind its printed sheet, some pages
// carrying another QR code (a TTE signature) and some sheets with their code torn off,
// which must not split. Measured: sheets found (target 100%), false splits (target 0) and
// time per page of detectSeparators (main/core/separators), the code the import runs on its
// worker thread, and the same through that worker (createDetectPool). Baseline in the same
// run: rendering the same pages with pdf.js without looking for codes (how every page was
// seen before the fast path, which decodes a scan's own JPEG instead).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildParts, createDetectPool, detectSeparators, DETECT_DPI, findSeparator, planSplit, type DetectStats } from '../main/core/separators';
import { renderPages } from '../main/infra/pdf';
import { feederStackPdf, letterLines, seeded, type StackPage } from '../tests/fixtures/feeder-stack';
import { bytes, cacheDir, count, ms, seconds, type BenchOptions, type BenchResult, type Table } from './lib/common';

// 2: the plan with 39 sheets (stacks cached by version 1 came from an earlier plan).
const GENERATOR_VERSION = 2;
const TYPES = ['SK_CPNS', 'SK_PNS', 'SK_PANGKAT', 'IJAZAH', 'DRH', 'SKP', 'DIKLAT', 'SK_PINDAH_INSTANSI'];
const NIPS = ['199001012015031001', '199202292015032002', '198507172010011003', '197912312005022004'];

interface Expected {
  /** Per page: the type code its sheet carries, 'damaged' for a torn sheet, null for a document page. */
  pages: (string | null)[];
}

function stackPlan(total: number): { pages: StackPage[]; expected: Expected } {
  const random = seeded(6);
  const pages: StackPage[] = [];
  const expected: Expected = { pages: [] };
  let documents = 0;
  while (pages.length < total) {
    const typeCode = TYPES[documents % TYPES.length];
    const nip = NIPS[documents % NIPS.length];
    // One sheet in 25 has its code torn off: it must stay a page, not become a split.
    const damaged = documents % 25 === 24;
    pages.push({ kind: 'sheet', spec: { nip, typeCode, nama: 'Pegawai Contoh', typeName: typeCode.replaceAll('_', ' ') }, damaged });
    expected.pages.push(damaged ? 'damaged' : typeCode);
    const length = 1 + Math.floor(random() * 7);
    for (let i = 0; i < length && pages.length < total; i++) {
      const seed = pages.length;
      // Every fifth typed page is an SK with a TTE QR code at its foot.
      pages.push({ kind: 'text', lines: letterLines(seed, 20 + (seed % 25)), qr: seed % 5 === 0 ? `https://tte.example.go.id/verify/${seed}` : undefined });
      expected.pages.push(null);
    }
    documents++;
  }
  return { pages, expected };
}

async function ensureStack(total: number, options: BenchOptions): Promise<{ pdf: Uint8Array; expected: Expected; cached: boolean; generationMs: number }> {
  const dir = cacheDir('separators');
  const file = join(dir, `stack-${total}-v${GENERATOR_VERSION}.pdf`);
  const { pages, expected } = stackPlan(total);
  if (!options.fresh && existsSync(file)) return { pdf: readFileSync(file), expected, cached: true, generationMs: 0 };
  const started = performance.now();
  const random = seeded(60);
  const looks = pages.map((_, index) => ({ dpi: 150, angle: (random() * 2 - 1) * 3, noise: 0.005 + random() * 0.02, seed: 600 + index }));
  const pdf = await feederStackPdf(pages, (index) => looks[index]);
  writeFileSync(file, pdf);
  return { pdf, expected, cached: false, generationMs: performance.now() - started };
}

export default async function separatorsBench(options: BenchOptions): Promise<BenchResult> {
  const total = options.quick ? 40 : 200;
  options.log(`separators: ${total}-page feeder stack at 150 dpi`);
  const stack = await ensureStack(total, options);
  options.log(`  stack ${bytes(stack.pdf.byteLength)}, ${stack.cached ? 'cached' : `generated in ${seconds(stack.generationMs)}`}`);

  let started = performance.now();
  await renderPages(stack.pdf, DETECT_DPI, () => undefined);
  const renderMs = performance.now() - started;

  // Detection as it was before the fast path: every page rendered by pdf.js, then searched.
  const rendered: (string | null)[] = [];
  await renderPages(stack.pdf, DETECT_DPI, (pixels) => rendered.push(pixels ? (findSeparator(pixels)?.typeCode ?? null) : null));

  const stats: DetectStats = { fast: 0, rendered: 0, textOnly: 0 };
  started = performance.now();
  const marks = await detectSeparators(stack.pdf, DETECT_DPI, stats);
  const detectMs = performance.now() - started;

  // Through the worker thread, as the import runs it (the worker's start-up included).
  const pool = createDetectPool();
  let workerMs: number;
  let sameOnWorker: boolean;
  try {
    started = performance.now();
    const onWorker = await pool.detect(stack.pdf, total);
    workerMs = performance.now() - started;
    sameOnWorker = JSON.stringify(onWorker) === JSON.stringify(marks);
  } finally {
    await pool.close();
  }

  started = performance.now();
  const plan = planSplit(marks);
  const parts = plan ? await buildParts(stack.pdf, plan) : null;
  const splitMs = performance.now() - started;

  const sheets = stack.expected.pages.filter((page) => page !== null && page !== 'damaged').length;
  let found = 0;
  let falseSplits = 0;
  let wrongLabel = 0;
  stack.expected.pages.forEach((want, index) => {
    const got = marks[index];
    if (want !== null && want !== 'damaged') {
      if (got) found++;
      if (got && got.typeCode !== want) wrongLabel++;
    } else if (got) {
      falseSplits++;
    }
  });
  const damaged = stack.expected.pages.filter((page) => page === 'damaged').length;
  const foreignQr = Math.floor(stack.expected.pages.filter((page) => page === null).length / 5);
  const rate = sheets === 0 ? 1 : found / sheets;
  const differing = rendered.filter((want, index) => want !== (marks[index]?.typeCode ?? null)).length;
  const met = rate === 1 && falseSplits === 0 && wrongLabel === 0 && sameOnWorker && differing === 0;

  const results: Table = {
    title: `Separator detection, ${count(total)} pages at 150 dpi (skew up to 3 degrees, grey, speckled, JPEG), detectSeparators at ${DETECT_DPI} dpi`,
    headers: ['measure', 'value', 'target', 'verdict'],
    rows: [
      ['sheets found', `${found} of ${sheets} (${(rate * 100).toFixed(1)}%)`, '100%', rate === 1 ? 'met' : 'NOT MET'],
      ['false splits (document pages, incl. ~' + foreignQr + ' with a TTE QR and ' + damaged + ' torn sheets)', falseSplits, '0', falseSplits === 0 ? 'met' : 'NOT MET'],
      ['sheets read with a wrong label', wrongLabel, '0', wrongLabel === 0 ? 'met' : 'NOT MET'],
      ['detection time per page (see + find), in-process', `${ms(detectMs / total)} ms`, '-', 'info'],
      ['pages whose verdict differs from the pdf.js render (detection before the fast path)', differing, '0', differing === 0 ? 'met' : 'NOT MET'],
      [`pages seen through the fast path (own JPEG/Flate image) / rendered by pdf.js`, `${stats.fast} / ${stats.rendered}`, '-', 'info'],
      [`the same through the worker thread (pool${pool.threaded ? '' : ': NO WORKER, in-process'}), per page`, `${ms(workerMs / total)} ms`, 'same marks', sameOnWorker ? 'met' : 'NOT MET'],
      ['split into documents (pdf-lib copy), whole stack', `${ms(splitMs)} ms`, '-', 'info'],
      ['documents the stack became', parts?.length ?? 1, '-', 'info'],
    ],
  };
  const baseline: Table = {
    title: 'Baseline in the same run: rendering the same pages with pdf.js only, as detection did before the fast path (ms per page)',
    headers: ['step', 'per page'],
    rows: [
      [`renderPages at ${DETECT_DPI} dpi (pdf.js + @napi-rs/canvas, JPEG decode)`, ms(renderMs / total)],
      ['detectSeparators (fast path, then the pre-check and jsQR)', ms(detectMs / total)],
    ],
  };
  options.log(`  found ${found}/${sheets}, false splits ${falseSplits}, ${ms(detectMs / total)} ms/page`);
  return {
    name: 'separators',
    tables: [results, baseline],
    notes: ['Single-page files are not searched at all (a sheet needs a document behind it), so importing one-page scans costs what it did.'],
    met,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await separatorsBench({ quick: process.argv.includes('--quick'), fresh: process.argv.includes('--fresh'), build: false, log: console.error });
  console.log(JSON.stringify(result, null, 2));
}
