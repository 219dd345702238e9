// documents.sendBatch (DOCUMENT_SEND_BATCH in common/dms/documents.ts): documents.send for
// up to 32 documents in one request, so that they share what each send costs besides its
// bytes: the request and its authentication, the statement that reads the label facts, the
// insert, and the waits for the disk (each document's fsyncs overlap the next one's bytes).
// The end-of-day sync of a thousand small scans is what waits on these.
//
// Order of work: the token's signature and expiry and the headers, before any byte is
// read; the manifest, checked against its schema and Content-Length; one statement for every
// document's label facts with what the database says of the caller's user and device
// (revoked, disabled: refused before anything is stored); then each document in order, as
// documents.send would treat it alone. A key already used is answered from what was stored,
// a bad name or label is refused, and either way its bytes are read and dropped; otherwise
// they go to a temp file while hashed, a mismatch is refused, and a match starts its move
// into the blob store while the next document's bytes arrive. Once every move has ended,
// one statement inserts every document with its upload row. A fault of the request (a body
// cut short, a move that failed) inserts nothing: at most blobs nobody refers to stay, as
// after documents.send, and never a temp file.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DOCUMENT_SEND, DOCUMENT_SEND_BATCH, type SendBatchResult } from '../../common/dms/documents';
import { TUS_PATH } from '../../common/dms/uploads';
import { accessClaims } from '../auth/tokens';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import { inputError } from '../http/routes';
import { ensureShippedTypes, shippedReference } from '../reference';
import { checkFileName, commitHash, replay } from './idempotency';
import { BodyReader, byteCount, keep, receive, registerBodyRoute, tempFiles, tooLarge } from './incoming';
import { checkLabel, labelFactsAuthenticated } from './label';
import { sentDocument } from './send';
import { findByKeys, insertDocuments, toDmsDocument, type NewDocument } from './store';

/** The manifest at the start of the body: UTF-8 JSON of DOCUMENT_SEND_BATCH.manifest. */
export function readManifest(bytes: Uint8Array) {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new DmsError('invalid_json', 'The manifest is not UTF-8 JSON.');
  }
  const parsed = DOCUMENT_SEND_BATCH.manifest.safeParse(json);
  if (!parsed.success) {
    // A document too large for documents.send is one for tus: said as such, not as a bad manifest.
    const large = parsed.error.issues.find((issue) => issue.code === 'too_big' && issue.path.length === 3 && issue.path[2] === 'size');
    if (large) {
      throw tooLarge(`documents.sendBatch takes documents up to ${DOCUMENT_SEND.maxBytes} bytes (item ${String(large.path[1])} is larger); send larger ones with tus (${TUS_PATH}) and documents.commit.`, {
        maxBytes: DOCUMENT_SEND.maxBytes,
        item: large.path[1],
      });
    }
    throw inputError('body', parsed.error);
  }
  return parsed.data.items;
}

/**
 * The manifest's items, checked against the request's headers, and the rest of the body to
 * read their bytes from; the headers are checked before any byte is read. `limit` is the
 * most bytes the items may have together.
 */
async function readBatch(request: FastifyRequest, limit: number): Promise<{ body: BodyReader; items: ReturnType<typeof readManifest> }> {
  if (request.headers['content-type']?.split(';')[0].trim() !== DOCUMENT_SEND_BATCH.contentType) {
    throw new DmsError('unsupported_media_type', `documents.sendBatch takes ${DOCUMENT_SEND_BATCH.contentType}: the manifest, then each document's bytes.`);
  }
  const manifestLength = byteCount(request.headers[DOCUMENT_SEND_BATCH.manifestHeader]);
  if (!manifestLength) throw new DmsError('invalid_input', 'The Lemari-Manifest-Length header is missing: the byte length of the manifest the body begins with.');
  if (manifestLength > DOCUMENT_SEND_BATCH.maxManifestBytes) {
    throw tooLarge(`The manifest may have up to ${DOCUMENT_SEND_BATCH.maxManifestBytes} bytes.`, { maxManifestBytes: DOCUMENT_SEND_BATCH.maxManifestBytes });
  }
  const length = byteCount(request.headers['content-length']);
  if (length === null || length < manifestLength) throw new DmsError('invalid_input', 'documents.sendBatch needs the Content-Length of the body: the manifest and every document\'s bytes.');
  if (length - manifestLength > limit) throw tooLarge(`documents.sendBatch takes up to ${limit} bytes of documents a request; send fewer at a time.`, { maxBytes: limit });

  const body = new BodyReader(request.raw);
  const items = readManifest(await body.bytes(manifestLength));
  const total = items.reduce((sum, item) => sum + item.size, 0);
  if (length !== manifestLength + total) {
    throw new DmsError('invalid_input', `Content-Length is ${length}, but the manifest (${manifestLength} bytes) and the sizes it lists (${total}) make ${manifestLength + total}.`);
  }
  return { body, items };
}

/** What `fn` answers, or the DmsError it throws: an item's refusal, as documents.send would answer for that document alone. */
function attempt<T>(fn: () => T): T | DmsError {
  try {
    return fn();
  } catch (error) {
    if (error instanceof DmsError) return error;
    throw error;
  }
}

export async function registerDocumentSendBatch(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, blobs } = deps;
  const reference = shippedReference();
  const limit = Math.min(DOCUMENT_SEND_BATCH.maxBytes, deps.config.maxUploadBytes);
  const tempFile = await tempFiles(deps.config.uploadDir);

  const handle = async (request: FastifyRequest): Promise<{ results: SendBatchResult[] }> => {
    // The token's signature and expiry now; what the database says of its user and device comes with the label facts.
    const claims = accessClaims(deps.signer, request.headers.authorization);
    const { body, items } = await readBatch(request, limit);
    await ensureShippedTypes(db, claims.ins, reference, deps.now);
    const labels = items.map((item) => ({ nip: item.nip, typeCode: item.typeCode, fields: item.fields }));
    const { principal, facts } = await labelFactsAuthenticated(db, claims, items.map((item, i) => ({ label: labels[i], idempotencyKey: item.idempotencyKey })));
    const at = new Date(deps.now()).toISOString();
    const results: SendBatchResult[] = new Array<SendBatchResult>(items.length);
    /** Items answered from the document their key made already: their commit hash, by index. */
    const taken = new Map<number, string>();
    const made: { index: number; doc: NewDocument }[] = [];
    // Each settles as it ends, so that a failed move is not left unhandled while later documents are read.
    const moves: Promise<{ error: unknown } | null>[] = [];
    try {
      for (const [index, item] of items.entries()) {
        const hash = commitHash(`sha256:${item.sha256}`, item);
        // In documents.send's order: the name; a key already used, answered from what was stored (its bytes were checked then); the label.
        const checked = attempt(() => {
          checkFileName(item.fileName);
          return facts[index].existing_id ? null : checkLabel(labels[index], facts[index], reference, deps.now());
        });
        if (checked === null) taken.set(index, hash);
        else if (checked instanceof DmsError) results[index] = checked.body();
        if (checked === null || checked instanceof DmsError) {
          await body.skip(item.size);
          continue;
        }
        const path = tempFile();
        const head = await receive(body.piece(item.size), path, item.size, item.sha256).catch((error: unknown) => {
          if (error instanceof DmsError && error.code === 'checksum_mismatch') return error;
          throw error;
        });
        if (head instanceof DmsError) {
          results[index] = head.body();
          continue;
        }
        moves.push(keep(blobs, path, { size: item.size, sha256: item.sha256 }).then(() => null, (error: unknown) => ({ error })));
        made.push({ index, doc: sentDocument(principal, item, { hash, checked, head, at }) });
      }
    } catch (error) {
      await Promise.all(moves);
      throw error;
    }
    const failed = (await Promise.all(moves)).find((outcome) => outcome !== null);
    if (failed) throw failed.error;

    // Every document and its (complete) upload row: one statement.
    const rows = made.length > 0 ? await insertDocuments(db, made.map(({ doc }) => doc), { withUpload: true }) : [];
    const inserted = new Map(rows.map((row) => [row.idempotency_key, row]));
    for (const { index, doc } of made) {
      const row = inserted.get(doc.idempotency_key);
      if (row) results[index] = { document: toDmsDocument(row), created: true };
      // Another request with this key won the race: answered with its document, below.
      else taken.set(index, doc.commit_hash);
    }
    if (taken.size > 0) {
      const keys = [...taken.keys()].map((index) => items[index].idempotencyKey);
      const stored = new Map((await findByKeys(db, principal.instansiId, keys)).map((row) => [row.idempotency_key, row]));
      for (const [index, hash] of taken) {
        const answer = attempt(() => replay(stored.get(items[index].idempotencyKey) ?? null, hash));
        results[index] = answer instanceof DmsError ? answer.body() : answer;
      }
    }
    return { results };
  };

  await registerBodyRoute(app, DOCUMENT_SEND_BATCH, handle);
}
