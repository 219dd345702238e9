// OCR (issue 6): every imported document is read in the background, page by page, and its
// text goes into search and into label proposals (NIP, nomor SK, tanggal SK, TMT) the
// labelling form offers. The queue is the ocr_jobs table (migration 014: a trigger queues
// each new document), so a restart resumes it. One page at a time on tesseract's worker
// thread, each with a timeout; a document that fails is recorded with its reason and stays
// labellable by hand, as it always was.

import type { OcrStatus } from '../../../common/contract';
import { todayOf } from '../../../common/dates';
import type { FileBlobStore } from '../../infra/blobs';
import type { Db } from '../../infra/db';
import { createTesseractRecognizer, OcrTimeout, type OcrImage, type Recognized, type Recognizer } from '../../infra/ocr';
import { renderPages, type PagePixels } from '../../infra/pdf';
import type { Clock, EventSink, Translate } from '../ports';
import { extractFields } from './extract';

export { extractFields, wordAccuracy, type OcrProposals } from './extract';
export type { Recognized, RecognizedWord, Recognizer, OcrImage } from '../../infra/ocr';
export { OcrTimeout };

/** A page is read at scan resolution: tesseract's LSTM model is trained on ~300 dpi text. */
export const OCR_DPI = 300;
/** A 300-dpi A4 page takes 2-7 s on one core (bench/ocr.ts); past this something is wrong. */
export const PAGE_TIMEOUT_MS = 60_000;

let shared: Recognizer | null = null;

/**
 * One page image to text, for callers outside the queue (the optimizer bench judges
 * legibility by OCR word accuracy). Uses one shared worker; `closeSharedRecognizer` ends it.
 */
export function recognizePage(image: OcrImage, options: { timeoutMs: number }): Promise<Recognized> {
  shared ??= createTesseractRecognizer();
  return shared.recognize(image, options);
}

export async function closeSharedRecognizer(): Promise<void> {
  const current = shared;
  shared = null;
  await current?.terminate();
}

export interface OcrDeps {
  db: Db;
  blobs: Pick<FileBlobStore, 'read'>;
  clock: Clock;
  translate: Translate;
  events?: EventSink;
  logger: { error(message: string, detail?: unknown): void; info(message: string, detail?: unknown): void };
  /** The tesseract worker by default; tests pass a slow or failing one. */
  recognizer?: Recognizer;
  pageTimeoutMs?: () => number;
}

interface JobRow {
  document_id: number;
  sha256: string;
  page_count: number;
}

function pngOf(pixels: PagePixels): OcrImage {
  return { rgba: new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), width: pixels.width, height: pixels.height };
}

export function createOcr(deps: OcrDeps) {
  const { db, clock, logger, translate } = deps;
  const recognizer = deps.recognizer ?? createTesseractRecognizer();
  const timeoutMs = deps.pageTimeoutMs ?? (() => PAGE_TIMEOUT_MS);

  // A destroyed (musnah) document keeps its metadata row but must never be read again (main/core/retention).
  const DESTROYED = `(SELECT document_id FROM document_disposals WHERE disposition = 'musnah')`;
  const nextJob = db.prepare<[], JobRow>(
    `SELECT j.document_id, d.sha256, d.page_count FROM ocr_jobs j JOIN documents d ON d.id = j.document_id
     WHERE j.status = 'pending' AND j.document_id NOT IN ${DESTROYED} ORDER BY j.document_id LIMIT 1`,
  );
  const setStatus = db.prepare('UPDATE ocr_jobs SET status = ?, pages_done = ?, page_count = ?, error = ?, updated_at = ? WHERE document_id = ?');
  // A page read while its document was being destroyed is not kept.
  const savePage = db.prepare(`INSERT OR REPLACE INTO ocr_pages (document_id, page, text, confidence)
     SELECT * FROM (SELECT ? AS document_id, ? AS page, ? AS text, ? AS confidence) WHERE document_id NOT IN ${DESTROYED}`);
  const clearPages = db.prepare('DELETE FROM ocr_pages WHERE document_id = ?');
  const readJob = db.prepare<[number], { status: OcrStatus['status']; pages_done: number; page_count: number; error: string | null }>(
    'SELECT status, pages_done, page_count, error FROM ocr_jobs WHERE document_id = ?',
  );
  // Documents imported before OCR existed (migration 014) have no job. They are queued one at
  // a time, only when nothing newer waits, oldest first: a new import is never held up behind
  // an archive's backlog, and the job row written before reading makes a restart resume it.
  const unread = db.prepare<[number], JobRow>(
    `SELECT d.id AS document_id, d.sha256, d.page_count FROM documents d
     WHERE d.id > ? AND NOT EXISTS (SELECT 1 FROM ocr_jobs j WHERE j.document_id = d.id) AND d.id NOT IN ${DESTROYED} ORDER BY d.id LIMIT 1`,
  );
  const queueUnread = db.prepare("INSERT OR IGNORE INTO ocr_jobs (document_id, status, page_count, updated_at) VALUES (?, 'pending', ?, ?)");
  const readText = db.prepare<[number], { text: string | null }>('SELECT group_concat(text, char(10)) AS text FROM (SELECT text FROM ocr_pages WHERE document_id = ? ORDER BY page)');

  let running: Promise<void> | null = null;
  let closed = false;
  const now = () => clock.now().toISOString();

  function changed(documentId: number) {
    deps.events?.emit('documents.onDidChange', { ids: [documentId] });
  }

  /** Reads page `index` of `pdf` to text; the PDF is reopened per page so only one page's pixels are held. */
  async function readPage(pdf: Uint8Array, index: number): Promise<Recognized | null> {
    let pixels: PagePixels | null = null;
    await renderPages(pdf, OCR_DPI, (rendered) => (pixels = rendered), (page) => page === index);
    if (!pixels) return null;
    return recognizer.recognize(pngOf(pixels), { timeoutMs: timeoutMs() });
  }

  async function runJob(job: JobRow): Promise<void> {
    const id = job.document_id;
    setStatus.run('running', 0, job.page_count, null, now(), id);
    clearPages.run(id);
    let page = 0;
    try {
      const pdf = await deps.blobs.read(job.sha256);
      for (; page < job.page_count; page++) {
        if (closed) {
          // Picked up again from its first page at the next start.
          setStatus.run('pending', 0, job.page_count, null, now(), id);
          return;
        }
        const result = await readPage(pdf, page);
        savePage.run(id, page + 1, result?.text ?? '', result?.confidence ?? 0);
        setStatus.run('running', page + 1, job.page_count, null, now(), id);
      }
      // The trigger on 'done' puts the pages' words into documents_fts.
      setStatus.run('done', job.page_count, job.page_count, null, now(), id);
    } catch (error) {
      if (closed) {
        setStatus.run('pending', 0, job.page_count, null, now(), id);
        return;
      }
      const reason =
        error instanceof OcrTimeout
          ? translate('ocr.timeout', { page: page + 1, seconds: Math.ceil(error.timeoutMs / 1000) })
          : translate('ocr.failed', { page: page + 1, reason: error instanceof Error ? error.message : String(error) });
      if (!(error instanceof OcrTimeout)) logger.error(`OCR of document ${id} failed`, error);
      setStatus.run('failed', page, job.page_count, reason, now(), id);
    }
    changed(id);
  }

  /** Where the search for unread old documents goes on from; everything at or below it has a job. */
  let unreadAfter = 0;

  /** The oldest document with no OCR job at all, queued now; undefined when there is none. */
  function nextUnread(): JobRow | undefined {
    const job = unread.get(unreadAfter);
    if (!job) {
      // All read or queued; every later import is queued by the trigger: no search again until the next start.
      unreadAfter = Number.MAX_SAFE_INTEGER;
      return undefined;
    }
    unreadAfter = job.document_id;
    queueUnread.run(job.document_id, job.page_count, now());
    return job;
  }

  async function drain(): Promise<void> {
    const next = () => (closed ? undefined : (nextJob.get() ?? nextUnread()));
    for (let job = next(); job; job = next()) await runJob(job);
  }

  function kick(): void {
    if (closed || running) return;
    running = drain().finally(() => {
      running = null;
      // A document queued while the last one finished.
      if (!closed && nextJob.get()) kick();
    });
  }

  return {
    /** Resumes the queue: jobs a restart cut off are read again from their first page; then documents never read (imported before OCR). */
    start(): void {
      db.prepare("UPDATE ocr_jobs SET status = 'pending', pages_done = 0 WHERE status = 'running'").run();
      kick();
    },
    /** New documents were imported: read them. */
    kick,
    status(documentId: number): OcrStatus {
      const job = readJob.get(documentId);
      if (!job) return { status: 'none', pagesDone: 0, pageCount: 0, error: null, proposals: null };
      const text = job.status === 'done' || job.status === 'failed' ? (readText.get(documentId)?.text ?? null) : null;
      return {
        status: job.status,
        pagesDone: job.pages_done,
        pageCount: job.page_count,
        error: job.error,
        proposals: text ? extractFields(text, todayOf(clock.now())) : null,
      };
    },
    /** The text read from a document, pages joined by line breaks (null if none yet). */
    text(documentId: number): string | null {
      return readText.get(documentId)?.text ?? null;
    },
    /** Resolves when the queue is empty (tests, the CLI). */
    async idle(): Promise<void> {
      while (running) await running;
    },
    /** Stops the page being read; the job it was on waits for the next start. */
    async close(): Promise<void> {
      closed = true;
      await recognizer.terminate();
      await running;
    },
  };
}

export type OcrService = ReturnType<typeof createOcr>;
