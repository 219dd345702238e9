// The size budget's optimizer (issue 6) on real generated scans: an A4 300-dpi scan over its
// budget (a colour, a grey and a text-only page) is optimized under budget with its pages in
// count and order, the text page (really black-and-white) shrinking most; nothing changes
// until the clerk accepts; a damaged or born-digital file leaves the document as it was with
// a clear message. Against a real central server: the original stays on disk until the
// server has verified the optimized bytes (sent again, as an edit, when the document had
// already gone), and is released after.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizeProposal, OptimizeStatus, SyncReport } from '../../common/contract';
import { AppError } from '../../common/errors';
import { generatedScanPdf, type GeneratedScan } from '../../bench/optimize';
import { closeSharedRecognizer, OCR_DPI, PAGE_TIMEOUT_MS, recognizePage, wordAccuracy } from '../../main/core/ocr';
import { pageStats, reencodePdf } from '../../main/infra/images/reencode';
import { inspectPdf, renderPages } from '../../main/infra/pdf';
import { createCaptureEnv, type TempCaptureEnv } from '../fixtures/capture-env';
import { optimizerFor } from '../fixtures/optimizer';
import { makePdf } from '../fixtures/images';
import { tempDir } from '../helpers/profile';
import { KNOWN, syncWorld, type SyncWorld } from '../helpers/sync';

const actor = { id: 'clerk-1' };
let scan: GeneratedScan;
beforeAll(async () => {
  scan = await generatedScanPdf(['colour', 'gray', 'text'], 300, 7);
}, 60_000);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function profileWith(files: Record<string, Uint8Array>) {
  const env: TempCaptureEnv = await createCaptureEnv();
  cleanups.push(() => env.dispose());
  const optimizer = optimizerFor(env);
  const paths = Object.entries(files).map(([name, bytes]) => {
    const path = join(env.inputDir, name);
    writeFileSync(path, bytes);
    return { path, name };
  });
  const report = await env.capture.importFiles(paths, { actor });
  expect(report.failed).toEqual([]);
  const ids = report.imported.map((entry) => entry.documentId);
  const row = (id: number) => env.db.prepare('SELECT sha256, size, page_count, updated_at FROM documents WHERE id = ?').get(id) as { sha256: string; size: number; page_count: number; updated_at: string };
  return { env, optimizer, ids, row };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('optimizer', () => {
  it('brings an over-budget scan under budget, pages in count and order, only once the clerk accepts', { timeout: 180_000 }, async () => {
    const { env, optimizer, ids, row } = await profileWith({ 'sk-pangkat.pdf': scan.pdf });
    const [id] = ids;
    const before = row(id);
    const status = optimizer.status(id);
    expect(status).toMatchObject({ size: scan.pdf.length, maxBytes: 1024 * 1024, overBudget: true, proposal: null, original: null });

    const proposal = await optimizer.propose(id);
    expect(proposal).toMatchObject({ before: before.size, pageCount: 3, maxBytes: 1024 * 1024, underBudget: true });
    expect(proposal.after).toBeLessThanOrEqual(proposal.maxBytes);
    expect(proposal.pages.map((page) => [page.kind, page.dpi, page.reencoded])).toEqual([
      ['colour', 150, true],
      ['gray', 150, true],
      ['bilevel', 300, true],
    ]);
    // The really black-and-white page: 1-bit at full resolution, a small fraction of its JPEG.
    const text = proposal.pages[2];
    expect(text.after).toBeLessThan(text.before / 10);
    expect(text.after).toBeLessThan(Math.min(proposal.pages[0].after, proposal.pages[1].after) / 2);

    // Proposed, not applied: the document still has its scan, and both sides can be looked at.
    expect(row(id)).toEqual(before);
    expect(optimizer.status(id).proposal).toEqual(proposal);
    const preview = await optimizer.preview(id, 3);
    expect(preview).toMatchObject({ page: 3, pageCount: 3 });
    expect(preview.original).toMatch(/^data:image\/jpeg;base64,/);
    expect(preview.optimized).toMatch(/^data:image\/jpeg;base64,/);
    expect(preview.optimized).not.toBe(preview.original);

    const accepted = await optimizer.accept(id, actor);
    expect(accepted).toMatchObject({ size: proposal.after, overBudget: false, proposal: null, original: { sha256: before.sha256, size: before.size, releasedAt: null } });
    const after = row(id);
    expect(after.page_count).toBe(3);
    expect(await env.blobs.has(before.sha256)).toBe(true);

    // Same pages in the same order: colour first, then grey (tones), then ink on paper.
    const optimized = await env.blobs.read(after.sha256);
    expect((await inspectPdf(optimized)).pageCount).toBe(3);
    const stats: ReturnType<typeof pageStats>[] = [];
    await renderPages(optimized, 50, (pixels) => stats.push(pageStats(pixels!)));
    expect(stats[0].colourShare).toBeGreaterThan(0.01);
    expect(stats[1].colourShare).toBe(0);
    expect(stats[2].colourShare).toBe(0);
    expect(stats[1].midShare).toBeGreaterThan(stats[2].midShare * 3);

    const audit = env.db.prepare("SELECT detail FROM audit_log WHERE action = 'document.optimized' AND document_id = ?").all(id) as { detail: string }[];
    expect(audit.map((entry) => JSON.parse(entry.detail))).toEqual([{ from: before.sha256, to: after.sha256, before: before.size, after: proposal.after }]);
    expect((await env.maintenance.verify()).ok).toBe(true);
    // A second accept has nothing to apply.
    expect((await refusal(optimizer.accept(id, actor))).code).toBe('conflict');
  });

  it('leaves a damaged document as it was, with a message that says so', { timeout: 60_000 }, async () => {
    const { env, optimizer, ids, row } = await profileWith({ 'surat.pdf': await makePdf('Surat keterangan', 2) });
    const [id] = ids;
    // The stored file cut off mid-way (a disk error, a bad copy back from a backup).
    const damaged = await env.blobs.put(scan.pdf.subarray(0, Math.floor(scan.pdf.length / 2)));
    env.db.prepare('UPDATE documents SET sha256 = ? WHERE id = ?').run(damaged, id);
    const before = row(id);

    const error = await refusal(optimizer.propose(id));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(new RegExp(`^Dokumen #${id} tidak dapat dioptimalkan: .+\\. Dokumen tidak diubah\\.$`));
    expect(row(id)).toEqual(before);
    expect(optimizer.status(id)).toMatchObject({ proposal: null, original: null });
    expect(env.db.prepare('SELECT count(*) AS n FROM optimize_proposals').get()).toEqual({ n: 0 });
    const accept = await refusal(optimizer.accept(id, actor));
    expect(accept).toMatchObject({ code: 'conflict', message: `Belum ada hasil optimasi dokumen #${id}; klik Optimalkan dulu.` });
    expect(row(id)).toEqual(before);
  });

  it('keeps a born-digital PDF as it is: nothing in it would shrink', { timeout: 60_000 }, async () => {
    const { optimizer, ids, row } = await profileWith({ 'digital.pdf': await makePdf('SK digital', 3) });
    const before = row(ids[0]);
    const error = await refusal(optimizer.propose(ids[0]));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('tidak memperkecil');
    expect(row(ids[0])).toEqual(before);
  });
});

describe('optimizer and OCR', () => {
  afterEach(async () => {
    await closeSharedRecognizer();
  });

  it('a text page made black-and-white still reads as well by OCR', { timeout: 240_000 }, async () => {
    const optimized = await reencodePdf(scan.pdf);
    const read = async (pdf: Uint8Array) => {
      let image: { rgba: Uint8Array; width: number; height: number } | null = null;
      await renderPages(pdf, OCR_DPI, (pixels, index) => {
        if (index === 2 && pixels) image = { rgba: new Uint8Array(pixels.data.buffer), width: pixels.width, height: pixels.height };
      });
      return wordAccuracy(scan.pages[2].text, (await recognizePage(image!, { timeoutMs: PAGE_TIMEOUT_MS })).text);
    };
    // The scan itself reads at 100% (bench/optimize.ts); one OCR pass a page is what a test can afford.
    expect(await read(optimized.pdf)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('optimizer and sync (pglite)', () => {
  let world: SyncWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('keeps the original until the server verified the optimized bytes, then releases it', { timeout: 240_000 }, async () => {
    world = await syncWorld('pglite');
    const input = tempDir('lemari-optimize-');
    cleanups.push(async () => input.cleanup());
    const path = join(input.dir, 'drh-pegawai-1.pdf');
    writeFileSync(path, scan.pdf);
    const imported = (await world.call('capture.import', { files: [{ path }] })) as { imported: { documentId: number }[] };
    const id = imported.imported[0].documentId;
    await world.call('documents.label', { id, nip: KNOWN[0], typeCode: 'DRH', fields: {} });
    const original = ((await world.call('documents.get', { id })) as { sha256: string }).sha256;

    // Sent as scanned first: the server has the original.
    expect(await world.call('sync.queue', {})).toEqual({ queued: 1 });
    expect(await world.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });

    const status = (await world.call('optimize.status', { id })) as OptimizeStatus;
    expect(status).toMatchObject({ overBudget: true, original: null });
    const proposal = (await world.call('optimize.propose', { id })) as OptimizeProposal;
    expect(proposal.underBudget).toBe(true);
    const accepted = (await world.call('optimize.accept', { id })) as OptimizeStatus;
    const optimized = ((await world.call('documents.get', { id })) as { sha256: string }).sha256;
    expect(accepted.original).toMatchObject({ sha256: original, releasedAt: null });
    const blobPath = (sha: string) => join(world.dataDir, 'blobs', sha.slice(0, 2), sha);
    expect(existsSync(blobPath(original))).toBe(true);

    // Already on the server: queued again, and the new bytes go over the server's version.
    expect(await world.call('sync.status', {})).toMatchObject({ counts: { queued: 1 } });
    // A run that fails before verifying leaves the original held.
    world.hook.current = async () => {
      throw new TypeError('fetch failed');
    };
    await world.call('sync.run', {});
    world.hook.current = null;
    expect(((await world.call('optimize.status', { id })) as OptimizeStatus).original?.releasedAt).toBeNull();
    expect(existsSync(blobPath(original))).toBe(true);

    const report = (await world.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ verified: 1, problems: [] });
    const onServer = await world.serverDocuments();
    expect(onServer.map((doc) => doc.sha256)).toEqual([optimized]);

    await expect.poll(async () => ((await world.call('optimize.status', { id })) as OptimizeStatus).original?.releasedAt ?? null).not.toBeNull();
    await expect.poll(() => existsSync(blobPath(original))).toBe(false);
    expect(existsSync(blobPath(optimized))).toBe(true);
    expect((await world.call('maintenance.verify', {})).ok).toBe(true);
  });
});
