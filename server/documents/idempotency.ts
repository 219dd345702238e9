// What makes a document's creation idempotent, shared by documents.commit (after tus) and
// documents.send (bytes and label in one request): the hash of what a request asked for,
// stored with the document, so that the same key again is recognised as a retry (answered
// with the stored document) and a key reused for something else is a conflict.
import { createHash } from 'node:crypto';
import { fileNameProblem } from '../../common/dms/uploads';
import { normalizeNip } from '../../common/nip';
import { DmsError } from '../http/errors';
import { toDmsDocument, type DocumentRow } from './store';

export function checkFileName(name: string): string {
  const problem = fileNameProblem(name);
  if (problem) throw new DmsError('invalid_file_name', `Invalid file name: ${problem}.`);
  return name;
}

/**
 * The content of a creation request. `content` names the bytes: the upload id for a commit
 * (its upload was checked when it completed), `sha256:<hex>` for documents.send, whose
 * retry carries no upload id, only the same bytes again.
 */
export function commitHash(content: string, body: { nip: string; typeCode: string; fields: Record<string, string>; fileName?: string }): string {
  const fields = Object.entries(body.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const request = [content, normalizeNip(body.nip), body.typeCode, fields, body.fileName ?? null];
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/** The answer to a key already used: its document if the request is the same, else a conflict. */
export function replay(row: DocumentRow | null, hash: string) {
  if (!row) throw new DmsError('internal', 'A commit with this key was reported but not found.');
  if (row.commit_hash !== hash) {
    throw new DmsError('conflict', 'This idempotency key was already used for a commit with other content.', { documentId: row.id });
  }
  return { document: toDmsDocument(row), created: false };
}
