// Documents: reading one, listing, labelling (NIP, type and the fields that type
// requires), and handing out the bytes for the viewer, recording every opening.

import type { DocumentDetail, DocumentState, DocumentSummary, MethodInput } from '../../../common/contract';
import { todayOf } from '../../../common/dates';
import { checkFields, type ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import { pick, type Locale } from '../../../common/i18n';
import { checkAnyNip, checkNip } from '../../../common/nip';
import { writeTransaction, type AuditLog } from '../audit';
import type { BlobStore } from '../../infra/blobs';
import type { Db } from '../../infra/db';
import { Where } from '../../infra/db/where';
import { nipProblemMessage } from '../employees';
import { requeueEdited } from '../sync/conflicts';
import type { Actor, Clock, EventSink, Translate } from '../ports';
import { DOCUMENT_SUMMARY_COLUMNS, documentSummaryFrom, type DocumentRow } from './rows';

export interface DocumentsDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  translate: Translate;
  locale: () => Locale;
  reference: () => ReferenceData;
  audit: AuditLog;
  /** Told of every label change, so the sync indicator and open lists refresh (optional for tests). */
  events?: EventSink;
}

interface DetailRow extends DocumentRow {
  sha256: string;
  source_sha256: string;
  fields: string;
  notes: string;
  guess_nip: string | null;
  guess_type: string | null;
  has_thumbnail: number;
}

export type LabelInput = Required<MethodInput<'documents.label'>>;

export function createDocuments(deps: DocumentsDeps) {
  const { db, translate } = deps;
  const selectDetail = db.prepare(`
    SELECT ${DOCUMENT_SUMMARY_COLUMNS}, d.sha256, d.source_sha256, d.fields, d.notes, d.guess_nip, d.guess_type,
      EXISTS (SELECT 1 FROM thumbnails t WHERE t.document_id = d.id) AS has_thumbnail
    FROM documents d LEFT JOIN employees e ON e.nip = d.nip WHERE d.id = ?`);

  function detail(id: number): DocumentDetail {
    const row = selectDetail.get(id) as DetailRow | undefined;
    if (!row) throw new AppError('not_found', translate('documents.not_found', { id }));
    return {
      ...documentSummaryFrom(row),
      sha256: row.sha256,
      sourceSha256: row.source_sha256,
      fields: JSON.parse(row.fields) as Record<string, string>,
      notes: row.notes,
      guess: { nip: row.guess_nip, typeCode: row.guess_type },
      hasThumbnail: row.has_thumbnail === 1,
    };
  }

  function record(actor: Actor, action: string, id: number, nip: string | null, extra: Record<string, unknown> = {}): void {
    deps.audit.append({ actor: actor.id, action, documentId: id, nip, detail: extra });
  }

  return {
    get: detail,

    list(input: { nip?: string; state?: DocumentState; typeCode?: string; limit: number; offset: number }): { items: DocumentSummary[]; total: number } {
      const { clause, params } = new Where().add('d.nip = ?', input.nip).add('d.state = ?', input.state).add('d.type_code = ?', input.typeCode);
      // Oldest first: the labelling loop works through an import in the order it came in.
      const rows = db
        .prepare(`SELECT ${DOCUMENT_SUMMARY_COLUMNS} FROM documents d LEFT JOIN employees e ON e.nip = d.nip ${clause} ORDER BY d.id LIMIT ? OFFSET ?`)
        .all(...params, input.limit, input.offset) as DocumentRow[];
      const total = (db.prepare(`SELECT count(*) AS n FROM documents d ${clause}`).get(...params) as { n: number }).n;
      return { items: rows.map(documentSummaryFrom), total };
    },

    /** Checks a label; returns every problem as a user-facing message (empty = valid). */
    problems(input: LabelInput): string[] {
      const reference = deps.reference();
      const today = todayOf(deps.clock.now());
      const messages: string[] = [];
      const employee = db.prepare('SELECT kind FROM employees WHERE nip = ?').get(input.nip.replace(/[\s.-]/g, '')) as { kind: 'pns' | 'pppk' } | undefined;
      const nipCheck = employee ? checkNip(input.nip, employee.kind, today) : checkAnyNip(input.nip, today);
      if (!nipCheck.ok) messages.push(nipProblemMessage(nipCheck.problem, translate));
      const type = reference.documentTypes.find((t) => t.code === input.typeCode);
      if (!type) {
        messages.push(translate('documents.unknown_type', { code: input.typeCode }));
        return messages;
      }
      for (const problem of checkFields(type, input.fields, reference, today)) {
        const def = reference.fields[problem.key];
        const field = def ? pick(def.label, deps.locale()) : problem.key;
        messages.push(translate(`field.${problem.reason}`, { field, ...('max' in problem ? { max: problem.max } : {}) }));
      }
      return messages;
    },

    label(input: LabelInput, actor: Actor): DocumentDetail {
      detail(input.id); // not_found before validation
      const problems = this.problems(input);
      if (problems.length > 0) throw new AppError('invalid_input', translate('documents.invalid_label', { problems: problems.join('; ') }));
      const type = deps.reference().documentTypes.find((t) => t.code === input.typeCode)!;
      const nip = input.nip.replace(/[\s.-]/g, '');
      // Keep only the fields the type defines, trimmed, so stale keys from a type change go.
      const fields = Object.fromEntries(type.fields.map(({ key }) => [key, (input.fields[key] ?? '').trim()]).filter(([, v]) => v !== ''));
      writeTransaction(db, () => {
        db.prepare(
          `UPDATE documents SET nip = ?, type_code = ?, nomor = ?, tanggal = ?, fields = ?, notes = ?, state = 'ready', updated_at = ? WHERE id = ?`,
        ).run(nip, type.code, fields.nomor ?? null, fields.tanggal ?? null, JSON.stringify(fields), input.notes.trim(), deps.clock.now().toISOString(), input.id);
        record(actor, 'document.labelled', input.id, nip, { typeCode: type.code });
        // Edit after sync (issue 5, sync/conflicts.ts): a document the server holds is queued again in this transaction.
        requeueEdited(db, deps.audit, input.id, actor, deps.clock.now().toISOString());
      });
      deps.events?.emit('documents.onDidChange', { ids: [input.id] });
      return detail(input.id);
    },

    /** The stored PDF for the viewer; every opening is written to the audit log. */
    async content(id: number, actor: Actor): Promise<{ sha256: string; size: number; name: string }> {
      const row = db.prepare('SELECT sha256, size, nip, original_name FROM documents WHERE id = ?').get(id) as
        | { sha256: string; size: number; nip: string | null; original_name: string }
        | undefined;
      if (!row) throw new AppError('not_found', translate('documents.not_found', { id }));
      record(actor, 'document.viewed', id, row.nip);
      return { sha256: row.sha256, size: row.size, name: row.original_name };
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocuments>;
export { documentSummaryFrom, DOCUMENT_SUMMARY_COLUMNS } from './rows';
