// Document types of an instansi on the server. The shipped list is copied into each
// instansi's rows the first time a node touches that instansi (and again when a newer
// server ships changed types), so one change feed carries shipped and custom types alike;
// a type the admin wrote (custom) is never overwritten by a shipped one.
import type { DocumentType, ReferenceData } from '../../common/doctypes';
import type { ChangesQuery, DmsDocumentType, DocumentTypeInput } from '../../common/dms/reference';
import type { Db } from '../db';
import { DmsError } from '../http/errors';
import { feedPage, feedParams, feedSql, RESTAMP, STAMP } from './feed';

// Per database (tests run several servers in one process) and instansi: seeded by this node.
const seededBy = new WeakMap<Db, Map<string, Promise<void>>>();

/** Makes sure the instansi holds the shipped document types; once per node and instansi. */
export function ensureShippedTypes(db: Db, instansiId: string, reference: ReferenceData, now: () => number): Promise<void> {
  let seeded = seededBy.get(db);
  if (!seeded) seededBy.set(db, (seeded = new Map()));
  let done = seeded.get(instansiId);
  if (!done) {
    const types = reference.documentTypes;
    done = db
      .query(
        `insert into document_types (instansi_id, code, definition, custom, change_xid, change_seq, updated_at)
         select $1, s.code, s.definition::jsonb, false, ${STAMP}, $4::timestamptz
           from unnest($2::text[], $3::text[]) as s(code, definition)
         on conflict (instansi_id, code) do update set definition = excluded.definition, ${RESTAMP}, updated_at = excluded.updated_at
         where not document_types.custom and document_types.definition is distinct from excluded.definition`,
        [instansiId, types.map((t) => t.code), types.map((t) => JSON.stringify(t)), new Date(now()).toISOString()],
      )
      .then(() => undefined);
    seeded.set(instansiId, done);
    done.catch(() => seeded.delete(instansiId));
  }
  return done;
}

interface TypeRow {
  code: string;
  definition: DocumentType;
  custom: boolean;
  change_xid: string;
  change_seq: number;
  updated_at: string;
}

const toDmsType = (row: TypeRow): DmsDocumentType => ({ ...row.definition, code: row.code, custom: row.custom, updatedAt: row.updated_at });

export async function documentTypeChanges(db: Db, instansiId: string, page: ChangesQuery): Promise<{ items: DmsDocumentType[]; next: string; more: boolean }> {
  const { rows } = await db.query<TypeRow>(`select code, definition, custom, change_xid, change_seq, updated_at from document_types where instansi_id = $1 and ${feedSql(2)}`, [
    instansiId,
    ...feedParams(page),
  ]);
  return feedPage(rows, page, toDmsType);
}

export async function putDocumentType(
  db: Db,
  p: { instansiId: string; userId: number; at: string },
  code: string,
  input: DocumentTypeInput,
  reference: ReferenceData,
): Promise<DmsDocumentType> {
  const unknown = input.fields.map((f) => f.key).filter((key) => !reference.fields[key]);
  if (unknown.length > 0) throw new DmsError('invalid_input', `Unknown field key(s): ${unknown.join(', ')}.`, { unknownFields: unknown, known: Object.keys(reference.fields) });
  const keys = input.fields.map((f) => f.key);
  if (new Set(keys).size !== keys.length) throw new DmsError('invalid_input', 'A field key appears twice.');
  const definition: DocumentType = { code, ...input };
  const { rows } = await db.query<TypeRow>(
    `insert into document_types (instansi_id, code, definition, custom, change_xid, change_seq, updated_at, updated_by)
     values ($1, $2, $3::jsonb, true, ${STAMP}, $4::timestamptz, $5)
     on conflict (instansi_id, code) do update set definition = excluded.definition, custom = true,
       ${RESTAMP}, updated_at = excluded.updated_at, updated_by = excluded.updated_by
     returning code, definition, custom, change_xid, change_seq, updated_at`,
    [p.instansiId, code, JSON.stringify(definition), p.at, p.userId],
  );
  return toDmsType(rows[0]);
}
