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
// stream the body into a private temp file of the upload directory while hashing it,
// compare the SHA-256 with the declared one, fsync and move the file into the blob store
// (content addressed: known bytes are already there), and insert the document with its
// (complete) upload row in one statement. A cut body, a mismatch or a failed insert
// leaves no row, and at most a blob nobody refers to (the same bytes a tus upload would
// have left complete); the temp file always goes (moved, or removed).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DOCUMENT_SEND, readSendHeader, SendInput } from '../../common/dms/documents';
import { TUS_PATH } from '../../common/dms/uploads';
import { accessClaims } from '../auth/tokens';
import { blobKey } from '../blobs';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import { inputError } from '../http/routes';
import { ensureShippedTypes, shippedReference } from '../reference';
import { contentTypeOf } from './content';
import { checkFileName, commitHash, replay } from './idempotency';
import { checkLabel, labelFactsAuthenticated } from './label';
import { findByKey, insertDocument, toDmsDocument } from './store';

/** The bytes of a request body, hashed while written to `path`; with the file's first bytes, for its type. */
async function receive(body: IncomingMessage, path: string, size: number): Promise<{ sha256: string; head: Buffer }> {
  const hash = createHash('sha256');
  const heads: Buffer[] = [];
  let seen = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      if (seen < 8) heads.push(chunk.subarray(0, 8 - seen));
      seen += chunk.length;
      done(null, chunk);
    },
  });
  const file = createWriteStream(path, { flags: 'wx', highWaterMark: 1024 * 1024 });
  // The parser delivers at most Content-Length bytes; fewer means the client went away. No
  // fsync here: moveFile fsyncs the file before moving it into place, and known bytes need none.
  await pipeline(body, tap, file);
  if (seen !== size) throw new DmsError('invalid_input', `The body had ${seen} bytes; Content-Length said ${size}.`);
  return { sha256: hash.digest('hex'), head: Buffer.concat(heads) };
}

export async function registerDocumentSend(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, blobs } = deps;
  const reference = shippedReference();
  const limit = Math.min(DOCUMENT_SEND.maxBytes, deps.config.maxUploadBytes);
  const temp = join(deps.config.uploadDir, 'send');
  await mkdir(temp, { recursive: true });

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
    const declared = request.headers['content-length'];
    const size = declared === undefined ? NaN : Number(declared);
    if (!Number.isSafeInteger(size) || size < 0) throw new DmsError('invalid_input', 'documents.send needs the Content-Length of the file.');
    if (size > limit) {
      throw new DmsError('payload_too_large', `documents.send takes files up to ${limit} bytes; send larger ones with tus (${TUS_PATH}) and documents.commit.`, { maxBytes: limit }, { connection: 'close' });
    }
    checkFileName(input.fileName);
    await ensureShippedTypes(db, claims.ins, reference, deps.now);
    const label = { nip: input.nip, typeCode: input.typeCode, fields: input.fields };
    const { principal, facts } = await labelFactsAuthenticated(db, claims, { label, idempotencyKey: input.idempotencyKey });
    const hash = commitHash(`sha256:${input.sha256}`, input);
    // A retry is answered from what was stored (its bytes were checked then); the body is not needed.
    if (facts.existing_id) return replay(await findByKey(db, principal.instansiId, input.idempotencyKey), hash);
    const checked = checkLabel(label, facts, reference, deps.now());

    const path = join(temp, randomBytes(16).toString('hex'));
    let moved = false;
    try {
      let received: { sha256: string; head: Buffer };
      try {
        received = await receive(request.raw, path, size);
      } catch (error) {
        if (error instanceof DmsError) throw error;
        throw new DmsError('invalid_input', 'The body ended before Content-Length bytes arrived; nothing was kept.');
      }
      if (received.sha256 !== input.sha256) {
        throw new DmsError('checksum_mismatch', 'The bytes received do not hash to the declared SHA-256; nothing was kept.', { declared: input.sha256, received: received.sha256 });
      }
      const key = blobKey(input.sha256);
      // moveFile fsyncs the file before it moves it into place: the bytes are on disk before any row names them.
      if (!(await blobs.stat(key))) {
        await blobs.moveFile(key, path, { size, sha256: input.sha256 });
        moved = true;
      }
      // The document and its (complete) upload row, as a tus upload would have left it: one statement.
      const row = await insertDocument(
        db,
        {
          id: randomUUID(),
          instansi_id: principal.instansiId,
          idempotency_key: input.idempotencyKey,
          commit_hash: hash,
          upload_id: randomBytes(16).toString('hex'),
          nip: checked.nip,
          type_code: checked.typeCode,
          fields: checked.fields,
          file_name: input.fileName,
          content_type: contentTypeOf(received.head),
          sha256: input.sha256,
          size,
          blob_key: key,
          created_by: principal.userId,
          created_device: principal.deviceId,
          created_at: new Date(deps.now()).toISOString(),
        },
        { withUpload: true },
      );
      if (row) return { document: toDmsDocument(row), created: true };
      // Another request with this key won the race: answer with its document.
      return replay(await findByKey(db, principal.instansiId, input.idempotencyKey), hash);
    } finally {
      if (!moved) await rm(path, { force: true });
    }
  };

  await app.register(async (scope) => {
    // The body is the file, read as a stream by the handler: no parser may buffer it first.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({
      method: DOCUMENT_SEND.method,
      url: DOCUMENT_SEND.path,
      // Named like a route of the table, so metrics and logs count it as documents.send.
      config: { routeName: DOCUMENT_SEND.name },
      handler: async (request, reply) => {
        const answer = DOCUMENT_SEND.response.parse(await handle(request));
        return reply.code(200).send(answer);
      },
    });
  });
}
