// Page tools (issue 6): rotate, move and delete pages, split a document in two, merge
// documents into one, propose blank pages for removal, and warn of pages scanned under
// 150 dpi. Each edit writes the new PDF to the blob store first, then in one transaction
// points the document at it (sha, size, page count), drops its thumbnail (rendered again on
// demand), resets an approval the verifier gave to the old pages, sends the document again
// when the server already holds it, and writes the audit entry with the previous sha. The
// previous bytes stay in the blob store: they are the original until the server has the
// edit, and nothing here deletes blobs (maintenance counts unreferenced ones as orphans).

import type { DocumentDetail } from '../../../common/contract';
import { AppError } from '../../../common/errors';
import type { BlobStore } from '../../infra/blobs';
import type { Db } from '../../infra/db';
import { writeTransaction, type AuditLog } from '../audit';
import type { Actor, Clock, EventSink, Translate } from '../ports';
import { requeueEdited } from '../sync/conflicts';
import { BLANK_INK_SHARE, pageInk } from './blank';
import { createOcrText, type PageSource } from './ocr-text';
import { deletePages, mergeAll, movePage, pageCountOf, rotatePages, scanDpis, splitAt, type QuarterTurn } from './edit';

/** Under this a scan is too coarse for the archive (BKN's guidance for personnel files). */
export const LOW_DPI = 150;

export interface PagesDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  translate: Translate;
  audit: AuditLog;
  events: EventSink;
  /** The document as the contract shows it (documents.get). */
  detail(id: number): DocumentDetail;
}

interface Doc {
  id: number;
  sha256: string;
  size: number;
  page_count: number;
  nip: string | null;
  original_name: string;
  source_kind: string;
}

interface SyncRow {
  state: string;
  server_id: string | null;
  commit_sent_at: string | null;
}

export interface PageInfo {
  number: number;
  dpi: number | null;
  low: boolean;
}

export function createPages(deps: PagesDeps) {
  const { db, blobs, translate } = deps;
  const nowIso = () => deps.clock.now().toISOString();
  const ocr = createOcrText(db);
  /** Pages `from` (0-based) of a document, as OCR sources. */
  const sourcesOf = (documentId: number, pages: readonly number[]): PageSource[] => pages.map((page) => [documentId, page + 1]);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

  function load(id: number): Doc {
    const row = db.prepare('SELECT id, sha256, size, page_count, nip, original_name, source_kind FROM documents WHERE id = ?').get(id) as Doc | undefined;
    if (!row) throw new AppError('not_found', translate('documents.not_found', { id }));
    return row;
  }

  /** A document whose pages may change now; throws why not. */
  function editable(id: number): Doc {
    const doc = load(id);
    if (db.prepare('SELECT 1 FROM document_disposals WHERE document_id = ?').get(id)) throw new AppError('conflict', translate('pages.disposed', { id }));
    const sync = db.prepare('SELECT state, server_id, commit_sent_at FROM document_sync WHERE document_id = ?').get(id) as SyncRow | undefined;
    // On its way with a commit the server may already hold, or waiting on the clerk's choice in a conflict:
    // changing the pages now could not be told apart from what was sent.
    if (sync && (sync.state === 'committed' || sync.state === 'conflict' || (sync.server_id === null && sync.commit_sent_at !== null))) {
      throw new AppError('conflict', translate('pages.in_transit', { id }));
    }
    return doc;
  }

  function pageNumbers(doc: Doc, pages: readonly number[]): number[] {
    const bad = pages.find((page) => page < 1 || page > doc.page_count);
    if (bad !== undefined) throw new AppError('invalid_input', translate('pages.no_such_page', { page: bad, count: doc.page_count }));
    return [...new Set(pages)].map((page) => page - 1);
  }

  /** Whatever the sync queue holds for the document, brought in line with its new bytes (inside the edit's transaction). */
  function resend(id: number, actor: Actor, now: string): void {
    const sync = db.prepare('SELECT state, server_id, commit_sent_at FROM document_sync WHERE document_id = ?').get(id) as SyncRow | undefined;
    if (!sync) return;
    if (sync.server_id !== null) {
      requeueEdited(db, deps.audit, id, actor, now);
    } else if (sync.state === 'queued' || sync.state === 'uploading') {
      // Queued but never committed: out of the queue, so the next sync.queue takes the new bytes
      // (and, where the office requires it, only after a verifier approved the new pages).
      db.prepare('DELETE FROM sync_outbox WHERE document_id = ?').run(id);
      db.prepare('DELETE FROM document_sync WHERE document_id = ?').run(id);
    }
  }

  /** Points the document at new bytes; the edit and everything that follows from it commit together. */
  async function replace(doc: Doc, bytes: Uint8Array, actor: Actor, action: string, detail: Record<string, unknown>, extra?: () => void): Promise<void> {
    const pageCount = await pageCountOf(bytes);
    const sha256 = await blobs.put(bytes);
    const now = nowIso();
    writeTransaction(db, () => {
      const current = db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(doc.id) as { sha256: string } | undefined;
      // Someone else edited it (another window) while this edit was being built.
      if (!current || current.sha256 !== doc.sha256) throw new AppError('conflict', translate('pages.changed', { id: doc.id }));
      db.prepare('UPDATE documents SET sha256 = ?, size = ?, page_count = ?, updated_at = ? WHERE id = ?').run(sha256, bytes.byteLength, pageCount, now, doc.id);
      db.prepare('DELETE FROM thumbnails WHERE document_id = ?').run(doc.id);
      // The verifier approved the pages as they were.
      db.prepare("UPDATE document_review SET state = 'pending', reason = NULL, reviewer = NULL, decided_at = NULL, updated_at = ? WHERE document_id = ? AND state = 'approved'").run(now, doc.id);
      extra?.();
      deps.audit.append({ actor: actor.id, action, documentId: doc.id, nip: doc.nip, detail: { ...detail, previousSha256: doc.sha256, sha256, pageCount } });
      resend(doc.id, actor, now);
    });
  }

  function changed(ids: number[]): void {
    deps.events.emit('documents.onDidChange', { ids });
  }

  return {
    /** Each page's scan resolution and whether it is under LOW_DPI. */
    async inspect(id: number): Promise<{ pages: PageInfo[]; lowDpi: number[]; minDpi: number }> {
      const doc = load(id);
      const dpis = await scanDpis(await blobs.read(doc.sha256));
      const pages = dpis.map((dpi, index) => ({ number: index + 1, dpi, low: dpi !== null && dpi < LOW_DPI }));
      return { pages, lowDpi: pages.filter((page) => page.low).map((page) => page.number), minDpi: LOW_DPI };
    },

    /** Pages that look blank, proposed for removal; never all of them (one page always stays). */
    async blank(id: number): Promise<{ pages: number[] }> {
      const doc = load(id);
      const shares = await pageInk(await blobs.read(doc.sha256));
      const pages = shares.flatMap((share, index) => (share < BLANK_INK_SHARE ? [index + 1] : []));
      return { pages: pages.length === doc.page_count ? pages.slice(1) : pages };
    },

    async rotate(input: { id: number; pages: number[]; degrees: QuarterTurn }, actor: Actor): Promise<DocumentDetail> {
      const doc = editable(input.id);
      const pages = pageNumbers(doc, input.pages);
      await replace(doc, await rotatePages(await blobs.read(doc.sha256), pages, input.degrees), actor, 'document.pages_rotated', {
        pages: pages.map((page) => page + 1),
        degrees: input.degrees,
      });
      changed([doc.id]);
      return deps.detail(doc.id);
    },

    async move(input: { id: number; from: number; to: number }, actor: Actor): Promise<DocumentDetail> {
      const doc = editable(input.id);
      const [from] = pageNumbers(doc, [input.from]);
      const [to] = pageNumbers(doc, [input.to]);
      if (from === to) return deps.detail(doc.id);
      const order = range(0, doc.page_count);
      order.splice(to, 0, ...order.splice(from, 1));
      await replace(doc, await movePage(await blobs.read(doc.sha256), from, to), actor, 'document.pages_moved', { from: from + 1, to: to + 1 }, () =>
        ocr.carry(doc.id, sourcesOf(doc.id, order)),
      );
      changed([doc.id]);
      return deps.detail(doc.id);
    },

    async remove(input: { id: number; pages: number[] }, actor: Actor): Promise<DocumentDetail> {
      const doc = editable(input.id);
      const pages = pageNumbers(doc, input.pages);
      if (pages.length >= doc.page_count) throw new AppError('invalid_input', translate('pages.delete_all'));
      const kept = range(0, doc.page_count).filter((page) => !pages.includes(page));
      await replace(doc, await deletePages(await blobs.read(doc.sha256), pages), actor, 'document.pages_deleted', { pages: pages.map((page) => page + 1).sort((a, b) => a - b) }, () =>
        ocr.carry(doc.id, sourcesOf(doc.id, kept)),
      );
      changed([doc.id]);
      return deps.detail(doc.id);
    },

    /** Pages `at` to the end become a new draft document (with the same NIP when keepNip). */
    async split(input: { id: number; at: number; keepNip: boolean }, actor: Actor): Promise<{ original: DocumentDetail; created: DocumentDetail }> {
      const doc = editable(input.id);
      if (input.at < 2 || input.at > doc.page_count) throw new AppError('invalid_input', translate('pages.split_at', { count: doc.page_count }));
      const [head, tail] = await splitAt(await blobs.read(doc.sha256), input.at - 1);
      const tailSha = await blobs.put(tail);
      // A file made of exactly these pages is held already (the same split made before).
      const same = db.prepare('SELECT id FROM documents WHERE source_sha256 = ? OR sha256 = ?').get(tailSha, tailSha) as { id: number } | undefined;
      if (same) throw new AppError('conflict', translate('pages.split_exists', { id: same.id }));
      let created = 0;
      const nip = input.keepNip ? doc.nip : null;
      const now = nowIso();
      await replace(doc, head, actor, 'document.split', { at: input.at }, () => {
        created = Number(
          db
            .prepare(
              `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, state, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
            )
            .run(tailSha, tailSha, translate('pages.split_name', { name: doc.original_name, page: input.at }), tail.byteLength, tail.byteLength, doc.page_count - input.at + 1, doc.source_kind, nip, now, now).lastInsertRowid,
        );
        // The new document's text first: the original's is rewritten next.
        ocr.carry(created, sourcesOf(doc.id, range(input.at - 1, doc.page_count)), { newDocument: true });
        ocr.carry(doc.id, sourcesOf(doc.id, range(0, input.at - 1)));
        deps.audit.append({ actor: actor.id, action: 'document.split_from', documentId: created, nip, detail: { from: doc.id, at: input.at, sha256: tailSha, previousSha256: doc.sha256 } });
      });
      changed([doc.id, created]);
      return { original: deps.detail(doc.id), created: deps.detail(created) };
    },

    /**
     * The documents, in the order given, become the first one: its id and label stay (an
     * unlabelled first one takes the others' NIP), the others are removed. Only documents of
     * one NIP (or none) merge, and only the first may already be on the server.
     */
    async merge(input: { ids: number[] }, actor: Actor): Promise<DocumentDetail> {
      if (new Set(input.ids).size !== input.ids.length) throw new AppError('invalid_input', translate('pages.merge_twice'));
      const docs = input.ids.map(editable);
      const nips = [...new Set(docs.map((doc) => doc.nip).filter((nip): nip is string => nip !== null))];
      if (nips.length > 1) throw new AppError('invalid_input', translate('pages.merge_nips', { nips: nips.join(', ') }));
      const [target, ...others] = docs;
      const sent = others.find((doc) => db.prepare('SELECT 1 FROM document_sync WHERE document_id = ?').get(doc.id));
      if (sent) throw new AppError('conflict', translate('pages.merge_sent', { id: sent.id }));
      const merged = await mergeAll(await Promise.all(docs.map((doc) => blobs.read(doc.sha256))));
      const nip = target.nip ?? nips[0] ?? null;
      await replace(target, merged, actor, 'document.merged', { from: others.map((doc) => ({ id: doc.id, sha256: doc.sha256, pages: doc.page_count })) }, () => {
        if (nip !== target.nip) db.prepare('UPDATE documents SET nip = ? WHERE id = ?').run(nip, target.id);
        ocr.carry(target.id, docs.flatMap((doc) => sourcesOf(doc.id, range(0, doc.page_count))));
        for (const doc of others) {
          const current = db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(doc.id) as { sha256: string } | undefined;
          if (!current || current.sha256 !== doc.sha256) throw new AppError('conflict', translate('pages.changed', { id: doc.id }));
          // Its bytes stay in the blob store; the audit entry keeps their sha.
          db.prepare('DELETE FROM documents WHERE id = ?').run(doc.id);
          deps.audit.append({ actor: actor.id, action: 'document.merged_into', documentId: doc.id, nip: doc.nip, detail: { into: target.id, sha256: doc.sha256 } });
        }
      });
      changed(input.ids);
      return deps.detail(target.id);
    },
  };
}

export type PagesService = ReturnType<typeof createPages>;
export { BLANK_INK_SHARE } from './blank';
