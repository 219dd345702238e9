// The size budget (issue 6): every document type has a budget in bytes (reference data,
// a conservative default since BKN's limits are not public). A document over it can be
// optimized: the optimizer's result is stored as a proposal beside the document, compared
// page by page, and only the clerk's accept makes it the document's content. The content
// it replaces is kept, retrievable, until the server has verified the optimized bytes, then
// released. A file that does not optimize leaves the document exactly as it was.

import type { OptimizedPage, OptimizePreview, OptimizeProposal, OptimizeStatus } from '../../../common/contract';
import { maxBytesOf } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import { formatBytes } from '../../../common/i18n';
import { writeTransaction } from '../audit';
import type { DocumentsDeps } from '../documents';
import { requeueEdited } from '../sync/conflicts';
import type { Actor } from '../ports';
import { OptimizePageFailed, OptimizeTimeout, type OnPage } from './pool';

export { createReencodePool, OptimizePageFailed, OptimizeTimeout, PAGE_TIMEOUT_MS, type ReencodePool } from './pool';

/** What the optimizer needs from the PDF and image adapters (main/infra/images/reencode.ts). */
export interface OptimizerPorts {
  /** The worker pool in the app (pool.ts); `onPage` is told after each page. */
  reencode(bytes: Uint8Array, onPage?: OnPage): Promise<{ pdf: Uint8Array; pages: OptimizedPage[] }>;
  /** Opens every page; throws for a file the archive would not take. */
  inspect(bytes: Uint8Array): Promise<{ pageCount: number }>;
  /** Page `index` (0-based) as a JPEG for the side-by-side view. */
  renderPage(bytes: Uint8Array, index: number): Promise<Buffer>;
}

/** What documents need, plus the optimizer's adapters and a way to delete a blob's file. */
export interface OptimizeDeps extends DocumentsDeps {
  ports: OptimizerPorts;
  /** Deletes a blob's file; only called for bytes no document, original or proposal points at. */
  removeBlob: (sha256: string) => Promise<void>;
}

/** Whom the audit log names when an original is released after the server's verification. */
export const RELEASE_ACTOR: Actor = { id: 'sistem' };

interface DocumentRow {
  id: number;
  sha256: string;
  size: number;
  page_count: number;
  type_code: string | null;
  nip: string | null;
}

interface ProposalRow {
  document_id: number;
  source_sha256: string;
  sha256: string;
  size: number;
  page_count: number;
  pages: string;
  created_at: string;
}

interface OriginalRow {
  sha256: string;
  size: number;
  kept_at: string;
  released_at: string | null;
}

function reasonOf(error: unknown, translate: OptimizeDeps['translate']): string {
  // Which page stopped it, in the clerk's words: the document itself is never changed.
  if (error instanceof OptimizeTimeout) return translate('optimize.reason.timeout', { page: error.page ?? 1, seconds: Math.ceil(error.ms / 1000) });
  if (error instanceof OptimizePageFailed && error.page !== null) return translate('optimize.reason.page', { page: error.page, detail: error.detail });
  if (error instanceof OptimizePageFailed) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

export function createOptimizer(deps: OptimizeDeps) {
  const { db, blobs, translate } = deps;
  const nowIso = () => deps.clock.now().toISOString();
  const bytes = (size: number) => formatBytes(size, deps.locale());

  function documentRow(id: number): DocumentRow {
    const row = db.prepare('SELECT id, sha256, size, page_count, type_code, nip FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
    if (!row) throw new AppError('not_found', translate('documents.not_found', { id }));
    return row;
  }
  const proposalRow = (id: number) => db.prepare('SELECT * FROM optimize_proposals WHERE document_id = ?').get(id) as ProposalRow | undefined;
  const originalRow = (id: number) => db.prepare('SELECT sha256, size, kept_at, released_at FROM document_originals WHERE document_id = ?').get(id) as OriginalRow | undefined;

  function proposalOf(doc: DocumentRow, row: ProposalRow): OptimizeProposal {
    const maxBytes = maxBytesOf(deps.reference(), doc.type_code);
    return {
      documentId: doc.id,
      before: doc.size,
      after: row.size,
      pageCount: row.page_count,
      maxBytes,
      underBudget: row.size <= maxBytes,
      pages: JSON.parse(row.pages) as OptimizedPage[],
      createdAt: row.created_at,
    };
  }

  function status(id: number): OptimizeStatus {
    const doc = documentRow(id);
    const maxBytes = maxBytesOf(deps.reference(), doc.type_code);
    const proposal = proposalRow(id);
    const original = originalRow(id);
    return {
      documentId: id,
      size: doc.size,
      maxBytes,
      overBudget: doc.size > maxBytes,
      // A proposal made from bytes the document no longer has is of no use.
      proposal: proposal && proposal.source_sha256 === doc.sha256 ? proposalOf(doc, proposal) : null,
      original: original ? { sha256: original.sha256, size: original.size, keptAt: original.kept_at, releasedAt: original.released_at } : null,
    };
  }

  /** Removes blobs nothing points at any more: not a document, a held original or a proposal. */
  async function removeUnreferenced(shas: string[]): Promise<void> {
    const used = db.prepare(
      `SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = @sha)
           OR EXISTS (SELECT 1 FROM document_originals WHERE sha256 = @sha AND released_at IS NULL)
           OR EXISTS (SELECT 1 FROM optimize_proposals WHERE sha256 = @sha) AS used`,
    );
    for (const sha of new Set(shas)) if ((used.get({ sha }) as { used: number }).used === 0) await deps.removeBlob(sha);
  }

  /** A queued document not yet on the server sends the new bytes; the upload of the old ones starts over. */
  function requeueUnsent(id: number, doc: { sha256: string; size: number }): void {
    db.prepare(
      `UPDATE document_sync SET sha256 = ?, size = ?, upload_url = NULL, upload_offset = 0, updated_at = ?
       WHERE document_id = ? AND state IN ('queued', 'uploading') AND server_id IS NULL AND sha256 <> ?`,
    ).run(doc.sha256, doc.size, nowIso(), id, doc.sha256);
  }

  let releasing: Promise<number> = Promise.resolve(0);

  return {
    status,

    /** Runs the optimizer and keeps its result as a proposal; the document itself is not touched. */
    async propose(id: number): Promise<OptimizeProposal> {
      const doc = documentRow(id);
      let result: { pdf: Uint8Array; pages: OptimizedPage[] };
      try {
        const onPage: OnPage = (done, total) => deps.events?.emit('optimize.onDidProgress', { id, pagesDone: done, pageCount: total });
        result = await deps.ports.reencode(await blobs.read(doc.sha256), onPage);
        const { pageCount } = await deps.ports.inspect(result.pdf);
        if (pageCount !== doc.page_count) throw new Error(`${pageCount} pages instead of ${doc.page_count}`);
      } catch (error) {
        throw new AppError('invalid_input', translate('optimize.failed', { id, reason: reasonOf(error, translate) }));
      }
      // Copying pages alone can save a few bytes (object streams); that is no reason to replace a document.
      if (!result.pages.some((page) => page.reencoded) || result.pdf.length >= doc.size) throw new AppError('conflict', translate('optimize.no_gain', { id, size: bytes(doc.size) }));
      const sha256 = await blobs.put(result.pdf);
      const previous = proposalRow(id);
      db.prepare(
        `INSERT INTO optimize_proposals (document_id, source_sha256, sha256, size, page_count, pages, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (document_id) DO UPDATE SET source_sha256 = excluded.source_sha256, sha256 = excluded.sha256, size = excluded.size,
           page_count = excluded.page_count, pages = excluded.pages, created_at = excluded.created_at`,
      ).run(id, doc.sha256, sha256, result.pdf.length, doc.page_count, JSON.stringify(result.pages), nowIso());
      if (previous && previous.sha256 !== sha256) await removeUnreferenced([previous.sha256]);
      return proposalOf(doc, proposalRow(id)!);
    },

    /** One page of the document and of its proposal, side by side. */
    async preview(id: number, page: number): Promise<OptimizePreview> {
      const doc = documentRow(id);
      const proposal = proposalRow(id);
      if (!proposal || proposal.source_sha256 !== doc.sha256) throw new AppError('conflict', translate('optimize.no_proposal', { id }));
      if (page > doc.page_count) throw new AppError('invalid_input', translate('optimize.bad_page', { id, count: doc.page_count }));
      const dataUrl = (jpeg: Buffer) => `data:image/jpeg;base64,${jpeg.toString('base64')}`;
      // One after the other: each rendering holds a whole page in memory.
      const original = dataUrl(await deps.ports.renderPage(await blobs.read(doc.sha256), page - 1));
      const optimized = dataUrl(await deps.ports.renderPage(await blobs.read(proposal.sha256), page - 1));
      return { page, pageCount: doc.page_count, original, optimized };
    },

    /** Makes the proposal the document's content; the content it replaces is held until verified. */
    async accept(id: number, actor: Actor): Promise<OptimizeStatus> {
      const doc = documentRow(id);
      const proposal = proposalRow(id);
      if (!proposal) throw new AppError('conflict', translate('optimize.no_proposal', { id }));
      if (proposal.source_sha256 !== doc.sha256) throw new AppError('conflict', translate('optimize.stale', { id }));
      if (!(await blobs.has(proposal.sha256))) throw new AppError('conflict', translate('optimize.no_proposal', { id }));
      const held = originalRow(id);
      const now = nowIso();
      writeTransaction(db, () => {
        db.prepare('UPDATE documents SET sha256 = ?, size = ?, updated_at = ? WHERE id = ?').run(proposal.sha256, proposal.size, now, id);
        // The first content stays the original while it is held: an optimized version optimized again is not one.
        if (!held || held.released_at !== null) {
          db.prepare(
            `INSERT INTO document_originals (document_id, sha256, size, kept_at, released_at) VALUES (?, ?, ?, ?, NULL)
             ON CONFLICT (document_id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, kept_at = excluded.kept_at, released_at = NULL`,
          ).run(id, doc.sha256, doc.size, now);
        }
        db.prepare('DELETE FROM optimize_proposals WHERE document_id = ?').run(id);
        deps.audit.append({ actor: actor.id, action: 'document.optimized', documentId: id, nip: doc.nip, detail: { from: doc.sha256, to: proposal.sha256, before: doc.size, after: proposal.size } });
        // Already sent: queued again as an edit with new bytes (sync/conflicts.ts); queued, not sent: the new bytes go.
        if (!requeueEdited(db, deps.audit, id, actor, now)) requeueUnsent(id, { sha256: proposal.sha256, size: proposal.size });
      });
      if (held && held.released_at === null) await removeUnreferenced([doc.sha256]);
      return status(id);
    },

    async discard(id: number): Promise<OptimizeStatus> {
      documentRow(id);
      const proposal = proposalRow(id);
      if (proposal) {
        db.prepare('DELETE FROM optimize_proposals WHERE document_id = ?').run(id);
        await removeUnreferenced([proposal.sha256]);
      }
      return status(id);
    },

    /**
     * Releases the originals of documents the server has verified with their optimized bytes,
     * removing files nothing else needs. A document verified with its old bytes (it was on
     * its way when the clerk accepted) is queued again so the new ones go too.
     */
    release(): Promise<number> {
      // One at a time: two runs ending together must not release (and audit) the same original twice.
      releasing = releasing.then(releaseDue, releaseDue);
      return releasing;
    },
  };

  async function releaseDue(): Promise<number> {
    const due = db
      .prepare(
        `SELECT o.document_id, o.sha256, d.nip, s.sha256 = d.sha256 AS current FROM document_originals o
         JOIN documents d ON d.id = o.document_id JOIN document_sync s ON s.document_id = o.document_id
         WHERE o.released_at IS NULL AND s.state = 'verified'`,
      )
      .all() as { document_id: number; sha256: string; nip: string | null; current: number }[];
    const released: string[] = [];
    for (const row of due) {
      writeTransaction(db, () => {
        if (!row.current) {
          requeueEdited(db, deps.audit, row.document_id, RELEASE_ACTOR, nowIso());
          return;
        }
        db.prepare('UPDATE document_originals SET released_at = ? WHERE document_id = ?').run(nowIso(), row.document_id);
        deps.audit.append({ actor: RELEASE_ACTOR.id, action: 'document.original_released', documentId: row.document_id, nip: row.nip, detail: { sha256: row.sha256 } });
        released.push(row.sha256);
      });
    }
    await removeUnreferenced(released);
    return released.length;
  }
}

export type Optimizer = ReturnType<typeof createOptimizer>;
