// The size budget's optimizer (issue 6) against Ghostscript's /ebook preset, on the same
// generated A4 300-dpi scans in the same run: colour pages (kop surat, photo, red stamp),
// grayscale pages (a photocopied ID card under the text) and text-only pages, each saved
// as a JPEG-in-PDF the way scanner software does. Measured per variant: size against the
// scan, time per page, and legibility as OCR word accuracy (main/core/ocr) on every page of
// the result. Target: files no larger than Ghostscript's, OCR accuracy no worse.
// Ghostscript comes from Debian's apt when it is missing (bench only, never tests).

import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { reencodePdf } from '../main/infra/images/reencode';
import { renderPages } from '../main/infra/pdf';
import { letterLines, seeded } from '../tests/fixtures/feeder-stack';
import { bytes, ms, type BenchOptions, type BenchResult, type Table } from './lib/common';

export type ScanKind = 'colour' | 'gray' | 'text';

export interface GeneratedScan {
  pdf: Uint8Array;
  /** Per page: its kind and the text printed on it (what OCR should read). */
  pages: { kind: ScanKind; text: string }[];
}

const A4_INCHES = [8.27, 11.69] as const;

function drawPage(kind: ScanKind, dpi: number, seed: number): { canvas: Canvas; text: string } {
  const canvas = createCanvas(Math.round(A4_INCHES[0] * dpi), Math.round(A4_INCHES[1] * dpi));
  const ctx = canvas.getContext('2d');
  const unit = dpi / 72;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const lines = letterLines(seed, kind === 'text' ? 30 : 14);
  let top = dpi;
  if (kind === 'colour') {
    // A kop surat band with a logo, a pas foto and a red stamp: what keeps a page in colour.
    ctx.fillStyle = '#1d5e3a';
    ctx.fillRect(0, 0, canvas.width, 90 * unit);
    ctx.fillStyle = '#e8c547';
    ctx.beginPath();
    ctx.arc(60 * unit, 45 * unit, 30 * unit, 0, Math.PI * 2);
    ctx.fill();
    const photo = ctx.createLinearGradient(0, 0, 0, 170 * unit);
    photo.addColorStop(0, '#c0392b');
    photo.addColorStop(1, '#2e86c1');
    ctx.fillStyle = photo;
    ctx.fillRect(420 * unit, 560 * unit, 113 * unit, 170 * unit);
    ctx.strokeStyle = '#c0392b';
    ctx.lineWidth = 4 * unit;
    ctx.beginPath();
    ctx.arc(200 * unit, 680 * unit, 45 * unit, 0, Math.PI * 2);
    ctx.stroke();
    top = 130 * unit;
  } else if (kind === 'gray') {
    // A photocopied ID card: smooth tones from black to white, the page's lower half.
    const card = ctx.createLinearGradient(72 * unit, 0, 520 * unit, 0);
    card.addColorStop(0, '#202020');
    card.addColorStop(0.5, '#9a9a9a');
    card.addColorStop(1, '#e0e0e0');
    ctx.fillStyle = card;
    ctx.fillRect(72 * unit, 420 * unit, 450 * unit, 300 * unit);
    ctx.fillStyle = '#555555';
    ctx.beginPath();
    ctx.arc(160 * unit, 560 * unit, 55 * unit, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.fillStyle = '#111111';
  const size = Math.round((11 / 72) * dpi);
  ctx.font = `${size}px sans-serif`;
  lines.forEach((line, i) => ctx.fillText(line, dpi, top + i * size * 1.5));
  return { canvas, text: lines.join('\n') };
}

/** Scanner look: tinted paper, sensor noise; grey and text pages lose their colour. */
function scanned(canvas: Canvas, kind: ScanKind, random: () => number): Canvas {
  const ctx = canvas.getContext('2d');
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const { data } = image;
  for (let p = 0; p < data.length; p += 4) {
    const noise = (random() - 0.5) * 24;
    if (kind === 'colour') {
      data[p] = Math.max(0, Math.min(255, data[p] * 0.96 + noise));
      data[p + 1] = Math.max(0, Math.min(255, data[p + 1] * 0.95 + noise));
      data[p + 2] = Math.max(0, Math.min(255, data[p + 2] * 0.9 + noise));
    } else {
      const value = ((data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8) * 0.95 + noise;
      data[p] = data[p + 1] = data[p + 2] = Math.max(0, Math.min(255, value));
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** A PDF of A4 scans, one JPEG (quality 85) per page, deterministic per seed. */
export async function generatedScanPdf(kinds: readonly ScanKind[], dpi = 300, seed = 1): Promise<GeneratedScan> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const pages: GeneratedScan['pages'] = [];
  for (const [index, kind] of kinds.entries()) {
    const { canvas, text } = drawPage(kind, dpi, seed * 100 + index);
    const jpeg = await scanned(canvas, kind, seeded(seed * 1000 + index)).encode('jpeg', 85);
    const image = await doc.embedJpg(jpeg);
    const page = doc.addPage([A4_INCHES[0] * 72, A4_INCHES[1] * 72]);
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
    pages.push({ kind, text });
  }
  return { pdf: await doc.save(), pages };
}

// --- the benchmark ---

function hasGhostscript(): boolean {
  return spawnSync('gs', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Installs Debian's ghostscript when missing, as scripts/test.sh does for chromium; false if that fails. */
function ensureGhostscript(log: (line: string) => void): boolean {
  if (hasGhostscript()) return true;
  log('[optimize] installing ghostscript from apt');
  const root = process.getuid?.() === 0;
  const run = (args: string[]) => spawnSync(root ? args[0] : 'sudo', root ? args.slice(1) : ['-n', ...args], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'ghostscript']);
  return hasGhostscript();
}

function ghostscriptEbook(input: Uint8Array, dir: string): Uint8Array {
  const source = join(dir, 'in.pdf');
  const target = join(dir, 'out.pdf');
  writeFileSync(source, input);
  const run = spawnSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', '-dPDFSETTINGS=/ebook', `-sOutputFile=${target}`, source], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`gs failed: ${run.stderr}`);
  return readFileSync(target);
}

type Ocr = { read(pdf: Uint8Array): Promise<string[]>; accuracy(expected: string, got: string): number; close(): Promise<void> };

/** main/core/ocr when it is there (another slice builds it); null: accuracy is not measured. */
async function loadOcr(): Promise<Ocr | null> {
  let ocr: typeof import('../main/core/ocr');
  try {
    ocr = await import('../main/core/ocr');
  } catch {
    return null;
  }
  return {
    async read(pdf) {
      const pixels: { rgba: Uint8Array; width: number; height: number }[] = [];
      await renderPages(pdf, ocr.OCR_DPI, (page) => {
        if (page) pixels.push({ rgba: new Uint8Array(page.data.buffer, page.data.byteOffset, page.data.byteLength), width: page.width, height: page.height });
      });
      const texts: string[] = [];
      for (const image of pixels) texts.push((await ocr.recognizePage(image, { timeoutMs: ocr.PAGE_TIMEOUT_MS })).text);
      return texts;
    },
    accuracy: ocr.wordAccuracy,
    close: ocr.closeSharedRecognizer,
  };
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
const pct = (value: number) => (Number.isNaN(value) ? 'not measured' : `${(value * 100).toFixed(1)}%`);

export default async function bench(options: BenchOptions): Promise<BenchResult> {
  const sets: ScanKind[][] = options.quick ? [['colour', 'gray', 'text']] : [['colour', 'gray', 'text', 'text'], ['text', 'text', 'gray'], ['colour', 'text', 'text']];
  const dir = mkdtempSync(join(tmpdir(), 'lemari-optimize-bench-'));
  const gs = ensureGhostscript(options.log);
  const ocr = await loadOcr();
  type Row = { size: number; ms: number; accuracy: number[] };
  const variants: Record<'scan' | 'ours' | 'gs', Row> = { scan: { size: 0, ms: 0, accuracy: [] }, ours: { size: 0, ms: 0, accuracy: [] }, gs: { size: 0, ms: 0, accuracy: [] } };
  const byKind = new Map<ScanKind, { scan: number; ours: number; gs: number }>();
  let pages = 0;
  try {
    for (const [index, kinds] of sets.entries()) {
      options.log(`[optimize] file ${index + 1}/${sets.length}: ${kinds.join(', ')}`);
      const scan = await generatedScanPdf(kinds, 300, index + 1);
      pages += kinds.length;
      let t0 = performance.now();
      const ours = await reencodePdf(scan.pdf);
      variants.ours.ms += performance.now() - t0;
      let ebook: Uint8Array | null = null;
      if (gs) {
        t0 = performance.now();
        ebook = ghostscriptEbook(scan.pdf, dir);
        variants.gs.ms += performance.now() - t0;
      }
      variants.scan.size += scan.pdf.length;
      variants.ours.size += ours.pdf.length;
      variants.gs.size += ebook?.length ?? 0;
      // Per page kind: our image bytes (gs's per page are not separable; its file total is in the main table).
      ours.pages.forEach((page, i) => {
        const entry = byKind.get(kinds[i]) ?? { scan: 0, ours: 0, gs: 0 };
        entry.scan += page.before;
        entry.ours += page.after;
        byKind.set(kinds[i], entry);
      });
      if (ocr) {
        for (const [name, pdf] of [['scan', scan.pdf], ['ours', ours.pdf], ['gs', ebook]] as const) {
          if (!pdf) continue;
          const texts = await ocr.read(pdf);
          texts.forEach((text, i) => variants[name].accuracy.push(ocr.accuracy(scan.pages[i].text, text)));
        }
      }
    }
  } finally {
    await ocr?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = (size: number) => (size / variants.scan.size).toFixed(3);
  const table: Table = {
    title: `Optimizer vs Ghostscript /ebook: ${sets.length} generated A4 300-dpi scan PDF(s), ${pages} pages`,
    headers: ['Variant', 'Size', 'Size / scan', 'Time per page', 'OCR word accuracy'],
    rows: [
      ['Scan as saved (JPEG q85, 300 dpi)', bytes(variants.scan.size), '1.000', '—', pct(mean(variants.scan.accuracy))],
      ['Lemari optimizer', bytes(variants.ours.size), ratio(variants.ours.size), ms(variants.ours.ms / pages), pct(mean(variants.ours.accuracy))],
      gs
        ? ['Ghostscript -dPDFSETTINGS=/ebook', bytes(variants.gs.size), ratio(variants.gs.size), ms(variants.gs.ms / pages), pct(mean(variants.gs.accuracy))]
        : ['Ghostscript /ebook', 'not measured (gs missing, apt install failed)', '—', '—', '—'],
    ],
  };
  const kindTable: Table = {
    title: 'Lemari optimizer by page kind (image bytes)',
    headers: ['Page kind', 'Scan', 'Optimized', 'Ratio'],
    rows: [...byKind.entries()].map(([kind, entry]) => [kind, bytes(entry.scan), bytes(entry.ours), (entry.ours / entry.scan).toFixed(3)]),
  };
  const met = gs ? variants.ours.size <= variants.gs.size && (!ocr || mean(variants.ours.accuracy) >= mean(variants.gs.accuracy) - 0.005) : undefined;
  return {
    name: 'optimize',
    tables: [table, kindTable],
    notes: [
      'Ours: colour/grey pages as JPEG q75 at 150 dpi, black-and-white pages as 1-bit Flate at 300 dpi, a page kept as it was when it would not shrink. /ebook: colour and grey 150 dpi JPEG, mono 300 dpi.',
      ocr ? 'OCR: tesseract.js (Indonesian) through main/core/ocr on every page rendered at 300 dpi, word accuracy against the printed text.' : 'OCR accuracy not measured: main/core/ocr is not available.',
      `Target: no larger than Ghostscript's, OCR accuracy no worse: ${met === undefined ? 'not judged (no Ghostscript)' : met ? 'met' : 'MISSED'}.`,
    ],
    met,
  };
}
