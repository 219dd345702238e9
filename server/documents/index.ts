// server/documents: the handlers of the `documents.*` routes declared in
// common/dms/documents.ts. Every query is scoped to the caller's instansi, and a document
// or upload of another instansi answers not_found, exactly like one that does not exist,
// so ids cannot be probed.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/tokens';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import type { Handlers } from '../http/routes';
import { ensureShippedTypes, shippedReference } from '../reference';
import { sendContent, sniffContentType } from './content';
import { checkFileName, commitHash, replay } from './idempotency';
import { checkLabel, committableUpload, labelFacts } from './label';
import { documentChanges, findByKey, findDocument, insertDocument, toDmsDocument, updateDocument, type DocumentChange, type DocumentRow } from './store';

type Own = { [K in keyof Handlers as K extends `documents.${string}` ? K : never]: Handlers[K] };

function versionConflict(row: DocumentRow): DmsError {
  return new DmsError('version_conflict', `The document is at version ${row.version}; reload it and apply the change again.`, { current: toDmsDocument(row) });
}

export function documentHandlers(deps: ServerDeps): Own {
  const { db, blobs } = deps;
  const reference = shippedReference();
  const iso = () => new Date(deps.now()).toISOString();
  const mustFind = async (principal: Principal, id: string) => {
    const row = await findDocument(db, principal.instansiId, id);
    if (!row) throw new DmsError('not_found', 'No such document.');
    return row;
  };

  return {
    'documents.commit': async ({ principal, body }) => {
      if (body.fileName !== undefined) checkFileName(body.fileName);
      await ensureShippedTypes(db, principal.instansiId, reference, deps.now);
      const label = { nip: body.nip, typeCode: body.typeCode, fields: body.fields };
      const facts = await labelFacts(db, { instansiId: principal.instansiId, label, uploadId: body.uploadId, idempotencyKey: body.idempotencyKey });
      const hash = commitHash(body.uploadId, body);
      // A retry is answered from what was stored, even if the label would not pass today.
      if (facts.existing_id) return replay(await findByKey(db, principal.instansiId, body.idempotencyKey), hash);
      const upload = committableUpload(facts);
      const fileName = checkFileName(body.fileName ?? upload.file_name);
      const checked = checkLabel(label, facts, reference, deps.now());
      const at = iso();
      const row = await insertDocument(db, {
        id: randomUUID(),
        instansi_id: principal.instansiId,
        idempotency_key: body.idempotencyKey,
        commit_hash: hash,
        upload_id: body.uploadId,
        nip: checked.nip,
        type_code: checked.typeCode,
        fields: checked.fields,
        file_name: fileName,
        content_type: await sniffContentType(blobs, upload.blob_key, upload.size),
        sha256: upload.declared_sha256,
        size: upload.size,
        blob_key: upload.blob_key,
        created_by: principal.userId,
        created_device: principal.deviceId,
        created_at: at,
      });
      if (row) return { document: toDmsDocument(row), created: true };
      // Another commit with this key won the race: answer with its document.
      return replay(await findByKey(db, principal.instansiId, body.idempotencyKey), hash);
    },

    'documents.changes': async ({ principal, query }) => documentChanges(db, principal.instansiId, query),

    'documents.get': async ({ principal, params }) => ({ document: toDmsDocument(await mustFind(principal, params.id)) }),

    'documents.update': async ({ principal, params, body }) => {
      const row = await mustFind(principal, params.id);
      if (row.version !== body.expectedVersion) throw versionConflict(row);
      if (body.fileName !== undefined) checkFileName(body.fileName);
      const change: DocumentChange = {
        nip: row.nip,
        type_code: row.type_code,
        fields: row.fields,
        file_name: body.fileName ?? row.file_name,
        content_type: row.content_type,
        sha256: row.sha256,
        size: row.size,
        blob_key: row.blob_key,
        upload_id: row.upload_id,
        deleted: body.deleted ?? row.deleted,
      };
      const relabel = body.nip !== undefined || body.typeCode !== undefined || body.fields !== undefined;
      if (relabel || body.uploadId !== undefined) {
        await ensureShippedTypes(db, principal.instansiId, reference, deps.now);
        const label = { nip: body.nip ?? row.nip, typeCode: body.typeCode ?? row.type_code, fields: body.fields ?? row.fields };
        const facts = await labelFacts(db, { instansiId: principal.instansiId, label, uploadId: body.uploadId });
        if (body.uploadId !== undefined) {
          const upload = committableUpload(facts);
          Object.assign(change, {
            upload_id: body.uploadId,
            sha256: upload.declared_sha256,
            size: upload.size,
            blob_key: upload.blob_key,
            content_type: await sniffContentType(blobs, upload.blob_key, upload.size),
          });
        }
        if (relabel) {
          const checked = checkLabel(label, facts, reference, deps.now());
          Object.assign(change, { nip: checked.nip, type_code: checked.typeCode, fields: checked.fields });
        }
      }
      const updated = await updateDocument(
        db,
        { instansiId: principal.instansiId, id: row.id, expected: body.expectedVersion, userId: principal.userId, deviceId: principal.deviceId, at: iso() },
        change,
      );
      if (updated) return { document: toDmsDocument(updated) };
      // Someone else's update landed between our read and our write.
      throw versionConflict(await mustFind(principal, params.id));
    },

    'documents.content': async ({ principal, params, request, reply }) => {
      const row = await mustFind(principal, params.id);
      if (row.deleted) throw new DmsError('not_found', 'The document has been deleted.');
      return sendContent(blobs, { sha256: row.sha256, size: row.size, blobKey: row.blob_key, contentType: row.content_type, fileName: row.file_name }, request, reply);
    },
  };
}
