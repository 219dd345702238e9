// Documents imported before OCR existed (migration 014 queues only new imports) are read by
// the background queue too: after anything newly imported, oldest first, one at a time, and
// a restart carries on with the ones not yet read.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOcr, type Recognizer } from '../../main/core/ocr';
import { createCaptureEnv, fixedClock, translate, type TempCaptureEnv } from '../fixtures/capture-env';
import { makePdf } from '../fixtures/images';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A recognizer that answers each page with the number of its call. */
function countingRecognizer(): Recognizer & { calls: number } {
  return {
    calls: 0,
    async recognize() {
      this.calls++;
      return { text: `halaman dibaca ${this.calls}`, words: [], confidence: 90 };
    },
    async terminate() {},
  };
}

function ocrOf(env: TempCaptureEnv, recognizer: Recognizer) {
  return createOcr({ db: env.db, blobs: env.blobs, clock: fixedClock, translate, logger: { error: () => {}, info: () => {} }, recognizer });
}

describe('OCR of documents imported before OCR existed', () => {
  it('reads them after the newly imported ones, oldest first, and resumes after a restart', { timeout: 60_000 }, async () => {
    const env = await createCaptureEnv();
    cleanups.push(() => env.dispose());
    const files = await Promise.all(
      ['lama-1.pdf', 'lama-2.pdf', 'lama-3.pdf', 'baru.pdf'].map(async (name) => {
        const path = join(env.inputDir, name);
        writeFileSync(path, await makePdf(name, 1));
        return { path, name };
      }),
    );
    const report = await env.capture.importFiles(files, { actor: { id: 'clerk-1' } });
    const [old1, old2, old3, fresh] = report.imported.map((entry) => entry.documentId);
    // As a profile from before migration 014 has them: documents with no OCR job at all.
    env.db.prepare('DELETE FROM ocr_jobs WHERE document_id IN (?, ?, ?)').run(old1, old2, old3);

    // First run: the app closed while the third document was being read.
    const first = countingRecognizer();
    const order: number[] = [];
    const running = env.db.prepare("SELECT document_id FROM ocr_jobs WHERE status = 'running'");
    const recognize = first.recognize.bind(first);
    let closing: Promise<void> | null = null;
    let ocr = ocrOf(env, {
      ...first,
      async recognize(image, options) {
        order.push((running.get() as { document_id: number }).document_id);
        if (order.length === 3) closing = ocr.close();
        return recognize(image, options);
      },
    });
    ocr.start();
    await ocr.idle();
    await closing;
    // The new import first, then the old ones from the oldest; the app closed while the third was read.
    expect(order).toEqual([fresh, old1, old2]);
    expect([fresh, old1, old2].map((id) => ocr.status(id).status)).toEqual(['done', 'done', 'done']);
    expect(ocr.status(old3).status).toBe('none');

    // Next start: only the one never reached.
    const second = countingRecognizer();
    ocr = ocrOf(env, second);
    ocr.start();
    await ocr.idle();
    expect(second.calls).toBe(1);
    expect([fresh, old1, old2, old3].map((id) => ocr.status(id).status)).toEqual(['done', 'done', 'done', 'done']);
    expect(ocr.text(old3)).toMatch(/^halaman dibaca \d$/);
    // Read into search like any other document.
    const hits = env.db.prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'dibaca' ORDER BY rowid").all() as { rowid: number }[];
    expect(hits.map((hit) => hit.rowid)).toEqual([old1, old2, old3, fresh].sort((a, b) => a - b));
    await ocr.close();
  });
});
