// Edits after sync and conflicts (issue 5). A verified document whose label (or content)
// changes locally is queued again in the same transaction as the change; the run sends it
// as documents.update with the server version it last saw (a new upload only when the
// bytes changed), never as a second commit. A local copy of bytes another workstation
// already committed is matched to that server document the same way. When the server
// holds a newer version, the document goes to 'conflict' with the server's current
// document stored beside it; the clerk sees both and chooses: keep the local label (sent
// again over the server's current version) or take the server's (its bytes downloaded into
// the blob store when they differ). Nothing is overwritten without that choice.
import type { SyncConflict } from '../../../common/contract';
import type { DmsDocument } from '../../../common/dms/documents';
import { AppError } from '../../../common/errors';
import type { BlobStore } from '../../infra/blobs';
import { sha256Hex } from '../../infra/blobs';
import { statement, type Db } from '../../infra/db';
import { DmsCallError } from '../../infra/dms';
import { uploadIdOf } from '../../infra/dms/tus';
import { writeTransaction, type AuditLog } from '../audit';
import type { Actor, Clock, Translate } from '../ports';
import type { AuthedCall, Downsync } from './downsync';

/** The parts of an outbox item an update needs (the engine's row). */
export interface EditItem {
  document_id: number;
  state: string;
  idempotency_key: string;
  sha256: string;
  server_id: string | null;
  upload_url: string | null;
  original_name: string;
  nip: string | null;
  type_code: string | null;
  fields: string;
}

/** How an outbox item reaches a server document it already is. */
export interface Edit {
  serverId: string;
  expectedVersion: number;
  needsUpload: boolean;
  /** Matched by its bytes, not sent from here before: the label may be the server's already. */
  adopted: boolean;
}

interface SyncRow {
  state: string;
  version: number;
  sha256: string;
  server_id: string | null;
  server_version: number | null;
  server_sha256: string | null;
  conflict_current: string | null;
}

/** A label as both sides hold it; equal labels need no update. */
function sameLabel(doc: DmsDocument, item: Pick<EditItem, 'nip' | 'type_code' | 'fields'>): boolean {
  const fields = JSON.parse(item.fields) as Record<string, string>;
  const keys = new Set([...Object.keys(fields), ...Object.keys(doc.fields)]);
  return doc.nip === (item.nip ?? '') && doc.typeCode === (item.type_code ?? '') && [...keys].every((key) => fields[key] === doc.fields[key]);
}

/** Re-queues a verified document after a local change; runs inside the change's own write transaction. */
export function requeueEdited(db: Db, audit: AuditLog, documentId: number, actor: Actor, now: string): boolean {
  const row = db.prepare('SELECT state, version, sha256, server_id, server_version, server_sha256 FROM document_sync WHERE document_id = ?').get(documentId) as SyncRow | undefined;
  const doc = db.prepare('SELECT sha256, size, nip FROM documents WHERE id = ?').get(documentId) as { sha256: string; size: number; nip: string | null };
  if (!row || !row.server_id || row.server_version === null) return false;
  if (row.state === 'verified') {
    const version = row.version + 1;
    db.prepare(
      `UPDATE document_sync SET state = 'queued', version = @version, idempotency_key = @key, server_sha256 = @serverSha, sha256 = @sha256, size = @size,
         upload_url = NULL, upload_offset = 0, error_code = NULL, error_message = NULL, attempts = 0, queued_at = @now, updated_at = @now WHERE document_id = @id`,
    ).run({ id: documentId, version, key: `edit:${documentId}:${version}`, serverSha: row.server_sha256 ?? row.sha256, sha256: doc.sha256, size: doc.size, now });
  } else if ((row.state === 'queued' || row.state === 'uploading') && row.sha256 !== doc.sha256) {
    // An edit not sent yet changed bytes again: the upload under way is of the old ones.
    db.prepare("UPDATE document_sync SET state = 'queued', sha256 = ?, size = ?, upload_url = NULL, upload_offset = 0, updated_at = ? WHERE document_id = ?").run(doc.sha256, doc.size, now, documentId);
    return true;
  } else return false; // queued already (the run reads the label as it is then), or a conflict the clerk resolves
  db.prepare("INSERT INTO sync_outbox (document_id, kind, created_at) VALUES (?, 'commit', ?) ON CONFLICT (document_id) DO NOTHING").run(documentId, now);
  audit.append({ actor: actor.id, action: 'document.queued', documentId, nip: doc.nip, detail: { version: row.version + 1, edit: true, serverVersion: row.server_version } });
  return true;
}

/**
 * A label changed while its send was in flight: after the run read it, or while the document
 * sat 'committed' (sent, not verified), when requeueEdited leaves it alone. Asked in the
 * transaction that marks the document verified, against what the server answered: when the
 * labels differ, the answer is the version this run sent, the base the edit goes over
 * (a newer server version is someone else's edit, which the clerk must see as a conflict).
 */
export function relabelledSince(db: Db, documentId: number, server: DmsDocument): { sentVersion: number } | null {
  const local = statement(db, 'SELECT d.nip, d.type_code, d.fields, s.server_version FROM documents d JOIN document_sync s ON s.document_id = d.id WHERE d.id = ?').get(documentId) as
    | { nip: string | null; type_code: string | null; fields: string; server_version: number | null }
    | undefined;
  if (!local || sameLabel(server, local)) return null;
  return { sentVersion: local.server_version ?? server.version };
}

export interface ConflictsDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  translate: Translate;
  audit: AuditLog;
  downsync: Downsync;
}

export function createConflicts(deps: ConflictsDeps) {
  const { db, translate } = deps;
  const nowIso = () => deps.clock.now().toISOString();
  const syncRow = (documentId: number) =>
    statement(db, 'SELECT state, version, sha256, server_id, server_version, server_sha256, conflict_current FROM document_sync WHERE document_id = ?').get(documentId) as SyncRow | undefined;

  /** Stores the server's current document beside a conflicting one (the engine then marks it 'conflict'). */
  function storeConflict(documentId: number, current: DmsDocument): void {
    deps.downsync.remember(current);
    db.prepare('UPDATE document_sync SET conflict_current = ? WHERE document_id = ?').run(JSON.stringify(current), documentId);
  }

  function conflictError(current: DmsDocument): DmsCallError {
    return new DmsCallError('version_conflict', translate('sync.conflict', { version: current.version }), 409, { current });
  }

  return {
    /** Whether an outbox item goes as an update, and over which server version; null: a first commit. */
    prepare(item: EditItem): Edit | null {
      const row = syncRow(item.document_id);
      if (!row) return null;
      if (row.server_id && row.server_version !== null) {
        return { serverId: row.server_id, expectedVersion: row.server_version, needsUpload: (row.server_sha256 ?? row.sha256) !== item.sha256, adopted: false };
      }
      // Never sent from here, but another workstation committed the same bytes: that is this document.
      const same = item.state === 'queued' ? deps.downsync.sameBytes(item.sha256, item.idempotency_key) : null;
      if (!same) return null;
      db.prepare('UPDATE document_sync SET server_id = ?, server_version = ?, server_sha256 = ? WHERE document_id = ?').run(same.serverId, same.version, item.sha256, item.document_id);
      return { serverId: same.serverId, expectedVersion: same.version, needsUpload: false, adopted: true };
    },

    /** Sends the label (and new bytes) as an update; a stale version stores the server's document and throws version_conflict. */
    async send(call: AuthedCall, item: EditItem, edit: Edit): Promise<DmsDocument> {
      if (edit.adopted) {
        const { document } = await call('documents.get', { params: { id: edit.serverId } });
        if (document.deleted || !sameLabel(document, item)) {
          storeConflict(item.document_id, document);
          throw conflictError(document);
        }
        return document;
      }
      const fields = JSON.parse(item.fields) as Record<string, string>;
      try {
        const { document } = await call('documents.update', {
          params: { id: edit.serverId },
          body: {
            expectedVersion: edit.expectedVersion,
            nip: item.nip ?? '',
            typeCode: item.type_code ?? '',
            fields,
            fileName: item.original_name,
            ...(edit.needsUpload ? { uploadId: uploadIdOf(item.upload_url!) } : {}),
          },
        });
        deps.downsync.remember(document);
        return document;
      } catch (error) {
        if (!(error instanceof DmsCallError) || error.code !== 'version_conflict') throw error;
        const current = error.details?.current as DmsDocument | undefined;
        if (!current) throw error;
        // Our own update, whose answer was lost: the server holds exactly what we send.
        if (current.sha256 === item.sha256 && sameLabel(current, item) && !current.deleted) return current;
        storeConflict(item.document_id, current);
        throw error;
      }
    },

    list(): SyncConflict[] {
      const rows = db
        .prepare(
          `SELECT s.document_id, s.conflict_current, s.error_code, s.error_message, s.updated_at, d.original_name, d.nip, d.type_code, d.fields, d.sha256, d.updated_at AS local_at
           FROM document_sync s JOIN documents d ON d.id = s.document_id WHERE s.state = 'conflict' ORDER BY s.document_id`,
        )
        .all() as {
        document_id: number;
        conflict_current: string | null;
        error_code: string | null;
        error_message: string | null;
        updated_at: string;
        original_name: string;
        nip: string | null;
        type_code: string | null;
        fields: string;
        sha256: string;
        local_at: string;
      }[];
      return rows.map((row) => {
        const server = row.conflict_current ? (JSON.parse(row.conflict_current) as DmsDocument) : null;
        return {
          documentId: row.document_id,
          message: row.error_message ?? '',
          at: row.updated_at,
          local: { nip: row.nip, typeCode: row.type_code, fields: JSON.parse(row.fields) as Record<string, string>, fileName: row.original_name, sha256: row.sha256, updatedAt: row.local_at },
          server: server && {
            id: server.id,
            version: server.version,
            nip: server.nip,
            typeCode: server.typeCode,
            fields: server.fields,
            fileName: server.fileName,
            sha256: server.sha256,
            deleted: server.deleted,
            updatedAt: server.updatedAt,
          },
          bytesDiffer: server !== null && server.sha256 !== row.sha256,
        };
      });
    },

    /** The clerk's choice. 'local' queues the label again over the server's version; 'server' takes the server's label and bytes. */
    async resolve(input: { documentId: number; keep: 'local' | 'server' }, actor: Actor, connect: () => AuthedCall): Promise<{ state: 'queued' | 'verified' }> {
      const row = syncRow(input.documentId);
      if (!row || row.state !== 'conflict') throw new AppError('not_found', translate('sync.no_conflict', { id: input.documentId }));
      if (!row.conflict_current) throw new AppError('conflict', translate('sync.conflict_unknown'));
      const current = JSON.parse(row.conflict_current) as DmsDocument;
      const doc = db.prepare('SELECT sha256, nip FROM documents WHERE id = ?').get(input.documentId) as { sha256: string; nip: string | null };
      if (input.keep === 'local') {
        if (current.deleted) throw new AppError('conflict', translate('sync.conflict_deleted'));
        writeTransaction(db, () => {
          const now = nowIso();
          const version = row.version + 1;
          db.prepare(
            `UPDATE document_sync SET state = 'queued', version = @version, idempotency_key = @key, server_id = @serverId, server_version = @serverVersion,
               server_sha256 = @serverSha, conflict_current = NULL, upload_url = NULL, upload_offset = 0, error_code = NULL, error_message = NULL, attempts = 0,
               queued_at = @now, updated_at = @now WHERE document_id = @id`,
          ).run({ id: input.documentId, version, key: `edit:${input.documentId}:${version}`, serverId: current.id, serverVersion: current.version, serverSha: current.sha256, now });
          db.prepare("INSERT INTO sync_outbox (document_id, kind, created_at) VALUES (?, 'commit', ?) ON CONFLICT (document_id) DO NOTHING").run(input.documentId, now);
          deps.audit.append({ actor: actor.id, action: 'document.conflict_resolved', documentId: input.documentId, nip: doc.nip, detail: { keep: 'local', serverVersion: current.version } });
        });
        return { state: 'queued' };
      }
      if (current.deleted) throw new AppError('conflict', translate('sync.conflict_deleted'));
      let size: number | null = null;
      if (current.sha256 !== doc.sha256 && !(await deps.blobs.has(current.sha256))) {
        const call = connect();
        const res = await call('documents.content', { params: { id: current.id } });
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (sha256Hex(bytes) !== current.sha256) throw new AppError('conflict', translate('sync.hash_mismatch', { local: sha256Hex(bytes), server: current.sha256 }));
        await deps.blobs.put(bytes);
        size = bytes.length;
      } else if (current.sha256 !== doc.sha256) size = await deps.blobs.size(current.sha256);
      writeTransaction(db, () => {
        const now = nowIso();
        db.prepare(
          `UPDATE documents SET nip = @nip, type_code = @typeCode, nomor = @nomor, tanggal = @tanggal, fields = @fields, sha256 = @sha256, size = coalesce(@size, size),
             state = 'ready', updated_at = @now WHERE id = @id`,
        ).run({
          id: input.documentId,
          nip: current.nip,
          typeCode: current.typeCode,
          nomor: current.fields.nomor ?? null,
          tanggal: current.fields.tanggal ?? null,
          fields: JSON.stringify(current.fields),
          sha256: current.sha256,
          size,
          now,
        });
        db.prepare(
          `UPDATE document_sync SET state = 'verified', server_id = @serverId, server_version = @version, sha256 = @sha256, server_sha256 = @sha256, size = coalesce(@size, size),
             conflict_current = NULL, error_code = NULL, error_message = NULL, updated_at = @now WHERE document_id = @id`,
        ).run({ id: input.documentId, serverId: current.id, version: current.version, sha256: current.sha256, size, now });
        db.prepare('DELETE FROM sync_outbox WHERE document_id = ?').run(input.documentId);
        deps.audit.append({ actor: actor.id, action: 'document.conflict_resolved', documentId: input.documentId, nip: current.nip, detail: { keep: 'server', serverVersion: current.version, bytes: size !== null } });
      });
      return { state: 'verified' };
    },
  };
}

export type Conflicts = ReturnType<typeof createConflicts>;
