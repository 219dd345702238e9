// documents.send (DOCUMENT_SEND in common/dms/documents.ts): a document and its bytes in
// one request, for files no larger than DOCUMENT_SEND.maxBytes (most scans). tus creation
// plus commit cost two requests, two transactions and a move of the bytes per scan; this
// costs one of each, which is what the end-of-day sync of a thousand scans waits on.
//
// Order of work, so that nothing is kept unless all of it succeeds: check the access
// token's signature and expiry; parse the Lemari-Document header; read, in one statement,
// the label's facts with what the database says of the token's user and device (revoked,
// disabled: refused here, before anything is stored); a key already used answers from what
// was stored (the body is not read); check the file name and the label exactly as
// documents.commit does; then
// receive the body while hashing it into a private temp file of the upload directory,
// written and fsynced once the SHA-256 matches the declared one (incoming.ts), move the
// file into the blob store (content addressed: known bytes are already there), and insert the document with its
// (complete) upload row in one statement. A cut body, a mismatch or a failed insert
// leaves no row, and at most a blob nobody refers to (the same bytes a tus upload would
// have left complete); the temp file always goes (moved, or removed).
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DOCUMENT_SEND, readSendHeader, SendInput } from '../../common/dms/documents';
import { TUS_PATH } from '../../common/dms/uploads';
import { accessClaims, type Principal } from '../auth/tokens';
import { blobKey } from '../blobs';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import { inputError } from '../http/routes';
import { ensureShippedTypes, shippedReference } from '../reference';
import { contentTypeOf } from './content';
import { checkFileName, commitHash, replay } from './idempotency';
import { byteCount, keep, receive, registerBodyRoute, tempFiles, tooLarge } from './incoming';
import { checkLabel, labelFactsAuthenticated, type Label } from './label';
import { findByKey, insertDocument, toDmsDocument, type NewDocument } from './store';

/**
 * The row of a document whose bytes came with its request, kept under their hash, with a
 * new id for the upload row the same insert makes (documents.send, documents.sendBatch).
 */
export function sentDocument(
  principal: Principal,
  input: { idempotencyKey: string; fileName: string; sha256: string; size: number },
  p: { hash: string; checked: Label; head: Buffer; at: string },
): NewDocument {
  return {
    id: randomUUID(),
    instansi_id: principal.instansiId,
    idempotency_key: input.idempotencyKey,
    commit_hash: p.hash,
    upload_id: randomBytes(16).toString('hex'),
    nip: p.checked.nip,
    type_code: p.checked.typeCode,
    fields: p.checked.fields,
    file_name: input.fileName,
    content_type: contentTypeOf(p.head),
    sha256: input.sha256,
    size: input.size,
    blob_key: blobKey(input.sha256),
    created_by: principal.userId,
    created_device: principal.deviceId,
    created_at: p.at,
  };
}

export async function registerDocumentSend(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, blobs } = deps;
  const reference = shippedReference();
  const limit = Math.min(DOCUMENT_SEND.maxBytes, deps.config.maxUploadBytes);
  const tempFile = await tempFiles(deps.config.uploadDir);

  const handle = async (request: FastifyRequest) => {
    // The token's signature and expiry now; what the database says of its user and device comes with the label's facts.
    const claims = accessClaims(deps.signer, request.headers.authorization);
    const header = request.headers[DOCUMENT_SEND.header];
    const parsed = SendInput.safeParse(typeof header === 'string' ? readSendHeader(header) : undefined);
    if (!parsed.success) {
      if (typeof header !== 'string') throw new DmsError('invalid_input', 'The Lemari-Document header is missing: the label, key and SHA-256 of the document, as percent-encoded JSON.');
      throw inputError('body', parsed.error);
    }
    const input = parsed.data;
    const type = request.headers['content-type'];
    if (type !== undefined && type.split(';')[0].trim() !== 'application/octet-stream') {
      throw new DmsError('unsupported_media_type', 'documents.send takes the file as application/octet-stream.');
    }
    const size = byteCount(request.headers['content-length']);
    if (size === null) throw new DmsError('invalid_input', 'documents.send needs the Content-Length of the file.');
    if (size > limit) throw tooLarge(`documents.send takes files up to ${limit} bytes; send larger ones with tus (${TUS_PATH}) and documents.commit.`, { maxBytes: limit });
    checkFileName(input.fileName);
    await ensureShippedTypes(db, claims.ins, reference, deps.now);
    const label = { nip: input.nip, typeCode: input.typeCode, fields: input.fields };
    const {
      principal,
      facts: [facts],
    } = await labelFactsAuthenticated(db, claims, [{ label, idempotencyKey: input.idempotencyKey }]);
    const hash = commitHash(`sha256:${input.sha256}`, input);
    // A retry is answered from what was stored (its bytes were checked then); the body is not needed.
    if (facts.existing_id) return replay(await findByKey(db, principal.instansiId, input.idempotencyKey), hash);
    const checked = checkLabel(label, facts, reference, deps.now());

    const path = tempFile();
    const head = await receive(request.raw, path, size, input.sha256);
    await keep(blobs, path, { size, sha256: input.sha256 });
    // The document and its (complete) upload row, as a tus upload would have left it: one statement.
    const row = await insertDocument(db, sentDocument(principal, { ...input, size }, { hash, checked, head, at: new Date(deps.now()).toISOString() }), { withUpload: true });
    if (row) return { document: toDmsDocument(row), created: true };
    // Another request with this key won the race: answer with its document.
    return replay(await findByKey(db, principal.instansiId, input.idempotencyKey), hash);
  };

  await registerBodyRoute(app, DOCUMENT_SEND, handle);
}
