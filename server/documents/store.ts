// Documents in the database: the row and its API form, the commit (an insert that yields
// to a same-key commit made first), the update guarded by the expected version, and the
// change feed.
import type { DmsDocument } from '../../common/dms/documents';
import type { ChangesQuery } from '../../common/dms/reference';
import type { Db, Sql } from '../db';
import { feedPage, feedParams, feedSql, RESTAMP, STAMP } from '../reference';

export interface DocumentRow {
  id: string;
  instansi_id: string;
  idempotency_key: string;
  commit_hash: string;
  upload_id: string;
  nip: string;
  type_code: string;
  fields: Record<string, string>;
  file_name: string;
  content_type: string;
  sha256: string;
  size: number;
  blob_key: string;
  version: number;
  deleted: boolean;
  change_xid: string;
  change_seq: number;
  created_by: number;
  created_device: string;
  updated_by: number;
  updated_device: string;
  created_at: string;
  updated_at: string;
}

export function toDmsDocument(row: DocumentRow): DmsDocument {
  return {
    id: row.id,
    instansiId: row.instansi_id,
    idempotencyKey: row.idempotency_key,
    nip: row.nip,
    typeCode: row.type_code,
    fields: row.fields,
    fileName: row.file_name,
    contentType: row.content_type,
    sha256: row.sha256,
    size: row.size,
    version: row.version,
    deleted: row.deleted,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: { userId: row.created_by, deviceId: row.created_device },
    updatedBy: { userId: row.updated_by, deviceId: row.updated_device },
  };
}

/** A document of the instansi by id; null for a missing one and for another instansi's. */
export async function findDocument(sql: Sql, instansiId: string, id: string): Promise<DocumentRow | null> {
  const { rows } = await sql.query<DocumentRow>('select * from documents where id = $1 and instansi_id = $2', [id, instansiId]);
  return rows[0] ?? null;
}

export async function findByKey(sql: Sql, instansiId: string, key: string): Promise<DocumentRow | null> {
  return (await findByKeys(sql, instansiId, [key]))[0] ?? null;
}

/** The documents of the instansi made with any of these idempotency keys, in no particular order. */
export async function findByKeys(sql: Sql, instansiId: string, keys: string[]): Promise<DocumentRow[]> {
  const { rows } = await sql.query<DocumentRow>('select * from documents where instansi_id = $1 and idempotency_key = any($2::text[])', [instansiId, keys]);
  return rows;
}

export type NewDocument = Omit<DocumentRow, 'version' | 'deleted' | 'change_xid' | 'change_seq' | 'updated_by' | 'updated_device' | 'updated_at'>;

/**
 * Inserts a committed document; null when a commit with the same key got there first. With
 * `withUpload` (documents.send, whose bytes came with the request) the complete upload row
 * `upload_id` names is inserted by the same statement, so both or neither are stored, in
 * one round trip.
 */
export async function insertDocument(db: Sql, doc: NewDocument, options: { withUpload?: boolean } = {}): Promise<DocumentRow | null> {
  return (await insertDocuments(db, [doc], options))[0] ?? null;
}

/**
 * insertDocument for several documents in one statement (documents.sendBatch): answers the
 * rows inserted, in no particular order; a document whose key another commit took first is
 * not among them.
 */
export async function insertDocuments(db: Sql, docs: NewDocument[], options: { withUpload?: boolean } = {}): Promise<DocumentRow[]> {
  // The documents travel as one JSON array: one parameter, whatever their number.
  const insert = `insert into documents (id, instansi_id, idempotency_key, commit_hash, upload_id, nip, type_code, fields, file_name, content_type, sha256, size, blob_key,
                            change_xid, change_seq, created_by, created_device, updated_by, updated_device, created_at, updated_at)
     select n.id, n.instansi_id, n.idempotency_key, n.commit_hash, n.upload_id, n.nip, n.type_code, n.fields, n.file_name, n.content_type, n.sha256, n.size, n.blob_key,
            ${STAMP}, n.created_by, n.created_device, n.created_by, n.created_device, n.created_at, n.created_at
       from jsonb_to_recordset($1::jsonb) as n(id uuid, instansi_id text, idempotency_key text, commit_hash text, upload_id text, nip text, type_code text, fields jsonb,
                                               file_name text, content_type text, sha256 text, size bigint, blob_key text, created_by bigint, created_device uuid, created_at timestamptz)
     on conflict (instansi_id, idempotency_key) do nothing
     returning *`;
  const { rows } = await db.query<DocumentRow>(
    options.withUpload
      ? `with d as (${insert}),
              u as (insert into uploads (id, instansi_id, device_id, user_id, file_name, declared_sha256, size, status, blob_key, created_at, updated_at, completed_at)
                    select upload_id, instansi_id, created_device, created_by, file_name, sha256, size, 'complete', blob_key, created_at, created_at, created_at from d)
         select * from d`
      : insert,
    [JSON.stringify(docs)],
  );
  return rows;
}

export type DocumentChange = Pick<DocumentRow, 'nip' | 'type_code' | 'fields' | 'file_name' | 'content_type' | 'sha256' | 'size' | 'blob_key' | 'upload_id' | 'deleted'>;

/** Applies a change if the document is still at `expected`; null when it is not (or is gone). */
export async function updateDocument(
  db: Db,
  p: { instansiId: string; id: string; expected: number; userId: number; deviceId: string; at: string },
  change: DocumentChange,
): Promise<DocumentRow | null> {
  const { rows } = await db.query<DocumentRow>(
    `update documents set nip = $4, type_code = $5, fields = $6::jsonb, file_name = $7, content_type = $8, sha256 = $9, size = $10, blob_key = $11,
            upload_id = $12, deleted = $13, version = version + 1, ${RESTAMP}, updated_by = $14, updated_device = $15, updated_at = $16
      where id = $1 and instansi_id = $2 and version = $3
     returning *`,
    [
      p.id,
      p.instansiId,
      p.expected,
      change.nip,
      change.type_code,
      JSON.stringify(change.fields),
      change.file_name,
      change.content_type,
      change.sha256,
      change.size,
      change.blob_key,
      change.upload_id,
      change.deleted,
      p.userId,
      p.deviceId,
      p.at,
    ],
  );
  return rows[0] ?? null;
}

export async function documentChanges(db: Db, instansiId: string, page: ChangesQuery): Promise<{ items: DmsDocument[]; next: string; more: boolean }> {
  const { rows } = await db.query<DocumentRow>(`select * from documents where instansi_id = $1 and ${feedSql(2)}`, [instansiId, ...feedParams(page)]);
  return feedPage(rows, page, toDmsDocument);
}
