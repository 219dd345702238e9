// The optimizer on its worker thread (issue 6, main/core/optimize/pool.ts), as the app runs
// it: an over-budget scan of typed text comes back under budget with a progress event per
// page while the main thread stays free, and OCR still reads the page as well as the bench
// found (bench/optimize.ts); a page past its time limit stops the run with an Indonesian
// message naming the page, the document stays as it was, and the next run gets a new worker.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../common/contract';
import { AppError } from '../../common/errors';
import { generatedScanPdf, type GeneratedScan } from '../../bench/optimize';
import { closeSharedRecognizer, OCR_DPI, PAGE_TIMEOUT_MS, recognizePage, wordAccuracy } from '../../main/core/ocr';
import { createReencodePool, OptimizePageFailed, type ReencodePool } from '../../main/core/optimize';
import { failedPage } from '../../main/core/optimize/worker';
import { renderPages } from '../../main/infra/pdf';
import { createCaptureEnv } from '../fixtures/capture-env';
import { optimizerFor } from '../fixtures/optimizer';

/**
 * Word accuracy of a text page after optimizing. The bench's text pages read 99.9% on the
 * scan, on /ebook's result and on ours alike (one word in ~1,000); a page of ~250 words may
 * lose two and still pass, the 95% a grey JPEG at 100 dpi reads would not.
 */
const TEXT_ACCURACY = 0.99;

const actor = { id: 'clerk-1' };
let scan: GeneratedScan;
beforeAll(async () => {
  scan = await generatedScanPdf(['text', 'text'], 300, 21);
}, 60_000);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function profileWith(pool: ReencodePool, pdf: Uint8Array) {
  const env = await createCaptureEnv();
  cleanups.push(() => env.dispose());
  const progress: EventPayload<'optimize.onDidProgress'>[] = [];
  const optimizer = optimizerFor(env, {
    ports: { reencode: (bytes, onPage) => pool.reencode(bytes, onPage) },
    events: { emit: (name, payload) => name === 'optimize.onDidProgress' && progress.push(payload as EventPayload<'optimize.onDidProgress'>) },
  });
  const path = join(env.inputDir, 'sk-cpns.pdf');
  writeFileSync(path, pdf);
  const report = await env.capture.importFiles([{ path, name: 'sk-cpns.pdf' }], { actor });
  const id = report.imported[0].documentId;
  const row = () => env.db.prepare('SELECT sha256, size, page_count, updated_at FROM documents WHERE id = ?').get(id) as { sha256: string; size: number; page_count: number; updated_at: string };
  return { env, optimizer, id, row, progress };
}

function newPool(pageTimeoutMs: () => number = () => PAGE_TIMEOUT_MS): ReencodePool {
  const pool = createReencodePool({ pageTimeoutMs });
  cleanups.push(() => pool.close());
  return pool;
}

describe('optimizer on its worker thread', () => {
  afterEach(async () => {
    await closeSharedRecognizer();
  });

  it('brings an over-budget text scan under budget off the main thread, page by page, and OCR still reads it', { timeout: 240_000 }, async () => {
    const pool = newPool();
    expect(pool.threaded).toBe(true);
    const { env, optimizer, id, row, progress } = await profileWith(pool, scan.pdf);
    expect(optimizer.status(id)).toMatchObject({ overBudget: true });

    // A 5-ms timer on the main thread while the pages are rendered and encoded: in-process it
    // never fired until the whole document was done (several seconds a page on this machine).
    await env.capture.idle();
    let last = performance.now();
    let stall = 0;
    const tick = setInterval(() => {
      stall = Math.max(stall, performance.now() - last);
      last = performance.now();
    }, 5);
    const proposal = await optimizer.propose(id);
    clearInterval(tick);
    expect(Math.max(stall, performance.now() - last)).toBeLessThan(1500);

    expect(proposal).toMatchObject({ pageCount: 2, underBudget: true });
    expect(proposal.pages.map((page) => [page.kind, page.dpi])).toEqual([
      ['bilevel', 300],
      ['bilevel', 300],
    ]);
    expect(progress).toEqual([
      { id, pagesDone: 1, pageCount: 2 },
      { id, pagesDone: 2, pageCount: 2 },
    ]);
    await optimizer.accept(id, actor);
    expect(row().size).toBe(proposal.after);

    // Every page of the optimized file, read as the OCR queue reads it.
    const images: { rgba: Uint8Array; width: number; height: number }[] = [];
    const read = (pixels: { data: Uint8ClampedArray; width: number; height: number } | null) => {
      // A copy: the renderer may reuse its canvas for the next page.
      if (pixels) images.push({ rgba: new Uint8Array(pixels.data), width: pixels.width, height: pixels.height });
    };
    await renderPages(await env.blobs.read(row().sha256), OCR_DPI, read);
    expect(images).toHaveLength(scan.pages.length);
    for (const [index, image] of images.entries()) {
      expect(wordAccuracy(scan.pages[index].text, (await recognizePage(image, { timeoutMs: PAGE_TIMEOUT_MS })).text)).toBeGreaterThanOrEqual(TEXT_ACCURACY);
    }
  });

  it('stops a page past its time limit with a message naming it, keeps the document, and starts a new worker for the next run', { timeout: 120_000 }, async () => {
    let limit = 30;
    const pool = newPool(() => limit);
    const { optimizer, id, row, progress } = await profileWith(pool, scan.pdf);
    const before = row();

    const error = await optimizer.propose(id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe(`Dokumen #${id} tidak dapat dioptimalkan: halaman 1 tidak selesai diproses dalam 1 detik. Dokumen tidak diubah.`);
    expect(row()).toEqual(before);
    expect(optimizer.status(id).proposal).toBeNull();
    expect(progress).toEqual([]);

    limit = PAGE_TIMEOUT_MS;
    expect(await optimizer.propose(id)).toMatchObject({ pageCount: 2, underBudget: true });
  });
});

describe('optimizer failures in the clerk\'s words', () => {
  it('names the page that failed; the document is not changed', async () => {
    const failing: ReencodePool = { threaded: true, reencode: () => Promise.reject(new OptimizePageFailed(2, 'corrupt: page 2')), close: async () => undefined };
    const { optimizer, id, row } = await profileWith(failing, scan.pdf);
    const before = row();
    await expect(optimizer.propose(id)).rejects.toThrow(`Dokumen #${id} tidak dapat dioptimalkan: halaman 2 gagal diproses (corrupt: page 2). Dokumen tidak diubah.`);
    expect(row()).toEqual(before);
  });

  it('finds the failing page from the renderer\'s words, else the page after the last one done', () => {
    expect(failedPage(new Error('corrupt: page 3'), 0)).toBe(3);
    expect(failedPage(new Error('out of memory'), 1)).toBe(3);
    expect(failedPage(new Error('corrupt: bad xref'), -1)).toBeNull();
  });
});
