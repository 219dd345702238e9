// First paint of a scan in the real viewer: a 300-dpi A4 page (JPEG in a PDF, 2481x3507,
// as scanners write them) imported into a fresh profile through capture.import, the browser
// host started on it, and in Chromium the document opened the way a clerk does (a click on
// its row in the search view) until the viewer's canvas (data-testid="pdf-page") reports
// data-rendered="true". Baseline in the same run: Chromium drawing the same JPEG in an
// <img> on a static page (click, fetch, decode, in the document), the floor for any viewer.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bytes, cacheDir, ms, stats, verdict, type BenchOptions, type BenchResult, type Table } from './lib/common';
import { launchChromium, openAndSignIn, staleBuildNote, startStatic, startWebHost, webHostMissing } from './lib/browser';
import { BENCH_ADMIN } from './lib/auth';
import { jpegsToPdf, pageSize, renderPageJpeg } from './lib/page';
import { skPage } from './lib/scans';

const TARGET_MS = 500;
const DPI = 300;

function baselinePage(dir: string, jpeg: Uint8Array): void {
  writeFileSync(join(dir, 'page.jpg'), jpeg);
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="id"><meta charset="utf-8"><title>Baseline</title>
<style>body{margin:0} #view{width:100%;overflow:auto;height:760px} img{width:calc(100% - 24px)}</style>
<button data-testid="open">open</button><div id="view"></div>
<script>
let n = 0;
document.querySelector('button').addEventListener('click', async () => {
  const img = new Image();
  img.src = 'page.jpg?n=' + (++n);
  await img.decode();
  img.dataset.testid = 'pdf-page';
  document.getElementById('view').replaceChildren(img);
  img.dataset.rendered = 'true';
});
</script></html>`,
  );
}

async function timeOpen(page: Page, open: () => Promise<void>, close: () => Promise<void>, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await open();
    await page.waitForSelector('[data-testid="pdf-page"][data-rendered="true"]', { timeout: 30_000 });
    samples.push(performance.now() - t0);
    await close();
  }
  return samples;
}

export default async function firstpaintBench(options: BenchOptions): Promise<BenchResult> {
  const runs = options.quick ? 3 : 15;
  options.log(`firstpaint: ${DPI}-dpi A4 scan`);
  const { width, height } = pageSize(DPI);
  const jpeg = await renderPageJpeg(skPage(DPI));
  const pdf = await jpegsToPdf([jpeg], 'SK kenaikan pangkat');
  const missing = webHostMissing(options.build, options.log);
  const table: Table = {
    title: `Open a ${DPI}-dpi A4 scan (${width}x${height} JPEG, ${bytes(jpeg.byteLength)}; PDF ${bytes(pdf.byteLength)}) to its first page painted (ms; first open, then ${runs - 1} more)`,
    headers: ['what', 'first open', 'p50', 'p95', 'max', 'target p50', 'verdict'],
    rows: [],
  };
  const notes: string[] = [];
  const work = mkdtempSync(join(cacheDir(), 'firstpaint-run-'));
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const row = (what: string, samples: number[], target: number | null) => {
      const s = stats(samples.slice(1));
      return [what, ms(samples[0]), ms(s.p50), ms(s.p95), ms(s.max), target === null ? '' : `<= ${target}`, target === null ? '' : verdict(s.p50, target)];
    };

    const staticDir = join(work, 'static');
    mkdirSync(staticDir);
    baselinePage(staticDir, jpeg);
    const server = await startStatic(staticDir);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID' });
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      const open = page.getByTestId('open');
      const samples = await timeOpen(page, () => open.click(), () => page.evaluate(() => document.getElementById('view')!.replaceChildren()), runs);
      table.rows.push(row('baseline: <img> of the same JPEG, decoded', samples, null));
      options.log(`  baseline p50 ${ms(stats(samples).p50)} ms`);
    } finally {
      await context.close();
      await server.stop();
    }

    if (missing) {
      table.rows.push(['viewer (renderer, pdf.js canvas)', 'not yet run', '', '', '', `<= ${TARGET_MS}`, 'skipped']);
      return { name: 'firstpaint', skipped: missing, tables: [table], notes: [`Skipped the viewer: ${missing}.`] };
    }
    const stale = staleBuildNote();
    if (stale) notes.push(stale);

    // A profile holding the scan, imported the way the UI imports.
    const dataDir = join(work, 'profile');
    const scanFile = join(work, 'scan0001.pdf');
    writeFileSync(scanFile, pdf);
    const { openBenchProfile } = await import('./lib/profile');
    const { profile, call, codes } = await openBenchProfile(dataDir);
    try {
      const imported = await call('capture.import', { files: [{ path: scanFile }] });
      if (!imported.ok) throw new Error(`capture.import failed: ${JSON.stringify(imported.error)}`);
      await profile.idle();
    } finally {
      await profile.close();
    }

    const code = await codes.next();
    const host = await startWebHost(dataDir);
    const context2 = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID' });
    try {
      const page = await context2.newPage();
      await openAndSignIn(page, host.url, { nip: BENCH_ADMIN.nip, password: BENCH_ADMIN.password, code });
      const hit = page.getByTestId('search-hit').first();
      await hit.waitFor({ timeout: 30_000 });
      const samples = await timeOpen(
        page,
        () => hit.click(),
        async () => {
          await page.keyboard.press('Escape');
          await page.getByTestId('viewer').waitFor({ state: 'detached' });
        },
        runs,
      );
      table.rows.push(row('viewer: click on the search hit -> pdf.js canvas painted', samples, TARGET_MS));
      options.log(`  viewer first ${ms(samples[0])} ms, p50 ${ms(stats(samples.slice(1)).p50)} ms`);
      notes.push(
        'Viewport 1280x800 at device scale 1; the viewer fits the page to its width. The first open also loads pdf.js and its worker; later opens fetch and parse the document again (fetch with cache: no-store). The baseline <img> is fetched with a new query string each time, so it is decoded afresh too.',
      );
      const median = stats(samples.slice(1)).p50;
      return { name: 'firstpaint', tables: [table], notes, met: median <= TARGET_MS };
    } finally {
      await context2.close();
      await host.stop();
    }
  } finally {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  }
}
