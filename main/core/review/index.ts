// Verification (issue 7): when the office requires it, a labelled document waits for a
// verifier, who approves it (alone or a reviewed batch) or sends it back to the clerk with a
// reason. Only approved documents are then queued for sync (main/core/sync queue()). The
// decision lives in document_review (migration 011), whose triggers make a document pending
// again when the clerk relabels it. Each decision and its audit entry commit together.

import { REVIEW_REASON_MAX, type ReviewItem } from '../../../common/contract';
import { AppError } from '../../../common/errors';
import { writeTransaction, type AuditLog } from '../audit';
import type { Db } from '../../infra/db';
import { Where } from '../../infra/db/where';
import { DOCUMENT_SUMMARY_COLUMNS, documentSummaryFrom, type DocumentRow } from '../documents/rows';
import type { Actor, Clock, EventSink, Translate } from '../ports';

export interface ReviewDeps {
  db: Db;
  clock: Clock;
  translate: Translate;
  audit: AuditLog;
  events: EventSink;
  /** The office's setting: while false nothing waits and no decision is taken. */
  requireApproval: () => boolean;
}

export interface ReviewFilter {
  unitKerja?: string;
  clerk?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

interface ItemRow extends DocumentRow {
  labelled_by: string | null;
}

/** Not handed to sync yet (or the server refused it and it came back): a decision still matters. */
const NOT_SENT = "NOT EXISTS (SELECT 1 FROM document_sync s WHERE s.document_id = d.id AND s.state <> 'rejected')";
/** Whoever saved the label last, read from the audit log (indexed by document). */
const LABELLED_BY = "(SELECT a.actor FROM audit_log a WHERE a.document_id = d.id AND a.action = 'document.labelled' ORDER BY a.id DESC LIMIT 1)";
const FROM = 'FROM document_review r JOIN documents d ON d.id = r.document_id LEFT JOIN employees e ON e.nip = d.nip';

function itemFrom(row: ItemRow): ReviewItem {
  return { ...documentSummaryFrom(row), unitKerja: row.unit_kerja, labelledBy: row.labelled_by, labelledAt: row.updated_at };
}

export function createReview(deps: ReviewDeps) {
  const { db, translate } = deps;

  function page(where: Where, limit: number, offset: number): { items: ReviewItem[]; total: number } {
    const rows = db
      .prepare(`SELECT ${DOCUMENT_SUMMARY_COLUMNS}, ${LABELLED_BY} AS labelled_by ${FROM} ${where.clause} ORDER BY d.updated_at, d.id LIMIT ? OFFSET ?`)
      .all(...where.params, limit, offset) as ItemRow[];
    const total = (db.prepare(`SELECT count(*) AS n ${FROM} ${where.clause}`).get(...where.params) as { n: number }).n;
    return { items: rows.map(itemFrom), total };
  }

  function item(id: number): ReviewItem {
    const row = db.prepare(`SELECT ${DOCUMENT_SUMMARY_COLUMNS}, ${LABELLED_BY} AS labelled_by ${FROM} WHERE d.id = ?`).get(id) as ItemRow | undefined;
    if (!row) throw new AppError('not_found', translate('documents.not_found', { id }));
    return itemFrom(row);
  }

  function requireEnabled(): void {
    if (!deps.requireApproval()) throw new AppError('conflict', translate('review.disabled'));
  }

  /** The document's review row if a decision may be taken on it now; throws the reason it may not. */
  function decidable(id: number, allowed: readonly string[]): { state: string; nip: string | null } {
    const row = db.prepare(`SELECT r.state, d.nip, ${NOT_SENT} AS open FROM documents d LEFT JOIN document_review r ON r.document_id = d.id WHERE d.id = ?`).get(id) as
      | { state: string | null; nip: string | null; open: number }
      | undefined;
    if (!row) throw new AppError('not_found', translate('documents.not_found', { id }));
    if (row.state === null || !allowed.includes(row.state) || row.open !== 1) throw new AppError('conflict', translate('review.not_waiting', { id }));
    return { state: row.state, nip: row.nip };
  }

  function decide(id: number, state: 'approved' | 'rejected', reason: string | null, actor: Actor): void {
    db.prepare('UPDATE document_review SET state = ?, reason = ?, reviewer = ?, decided_at = ?, updated_at = ? WHERE document_id = ?').run(
      state,
      reason,
      actor.id,
      deps.clock.now().toISOString(),
      deps.clock.now().toISOString(),
      id,
    );
  }

  return {
    /** What awaits review, oldest label first, with the clerks who labelled it (for the filter). */
    list(filter: ReviewFilter): { enabled: boolean; items: ReviewItem[]; total: number; clerks: string[] } {
      if (!deps.requireApproval()) return { enabled: false, items: [], total: 0, clerks: [] };
      const base = () => new Where().add("r.state = ? AND d.state = 'ready' AND " + NOT_SENT, 'pending');
      const where = base().add('e.unit_kerja = ?', filter.unitKerja).add(`${LABELLED_BY} = ?`, filter.clerk).add('d.updated_at >= ?', filter.from).add('d.updated_at < ?', filter.to);
      const all = base();
      const clerks = db
        .prepare(`SELECT DISTINCT ${LABELLED_BY} AS clerk ${FROM} ${all.clause} ORDER BY clerk`)
        .all(...all.params)
        .map((row) => (row as { clerk: string | null }).clerk)
        .filter((clerk): clerk is string => clerk !== null);
      return { enabled: true, ...page(where, filter.limit, filter.offset), clerks };
    },

    /** Documents sent back to the clerks, with the reason (empty while approval is off). */
    rejected(input: { limit: number; offset: number }): { items: ReviewItem[]; total: number } {
      if (!deps.requireApproval()) return { items: [], total: 0 };
      return page(new Where().add(`r.state = ? AND ${NOT_SENT}`, 'rejected'), input.limit, input.offset);
    },

    /**
     * Approves every listed document, or none: each must still be awaiting review with the
     * label the verifier saw (its labelledAt), so an approval never covers an edit made since.
     */
    approve(items: { id: number; labelledAt: string }[], actor: Actor): { approved: number } {
      requireEnabled();
      const seen = new Map(items.map((item) => [item.id, item.labelledAt]));
      const unique = [...seen.keys()];
      writeTransaction(db, () => {
        for (const id of unique) {
          const { nip } = decidable(id, ['pending']);
          const { updated_at } = db.prepare('SELECT updated_at FROM documents WHERE id = ?').get(id) as { updated_at: string };
          if (updated_at !== seen.get(id)) throw new AppError('conflict', translate('review.changed', { id }));
          decide(id, 'approved', null, actor);
          deps.audit.append({ actor: actor.id, action: 'document.approved', documentId: id, nip, detail: { batch: unique.length } });
        }
      });
      deps.events.emit('documents.onDidChange', { ids: unique });
      return { approved: unique.length };
    },

    /** Sends a document back to its clerk; an approval not yet sent may be withdrawn this way too. */
    reject(id: number, reason: string, actor: Actor): ReviewItem {
      requireEnabled();
      const text = reason.trim();
      if (text === '' || text.length > REVIEW_REASON_MAX) throw new AppError('invalid_input', translate('review.reason_required', { max: REVIEW_REASON_MAX }));
      writeTransaction(db, () => {
        const { nip } = decidable(id, ['pending', 'approved']);
        decide(id, 'rejected', text, actor);
        deps.audit.append({ actor: actor.id, action: 'document.rejected', documentId: id, nip, detail: { reason: text } });
      });
      deps.events.emit('documents.onDidChange', { ids: [id] });
      return item(id);
    },
  };
}

export type ReviewService = ReturnType<typeof createReview>;
