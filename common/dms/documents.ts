// Documents: commit the metadata of a finished upload (idempotent by a key the client
// chooses), update with the version the client last saw (409 with the current document when
// it is stale), read the changes since a cursor, and download the content with ranges.
// Metadata is checked as the workstation checks a label: NIP rules, a known document type
// of the instansi, the fields that type requires, an employee of the instansi. A small
// file may skip tus: `documents.send` (DOCUMENT_SEND below) creates the document with its
// bytes in one request.
import { z } from 'zod';
import { changesOf, ChangesQuery } from './reference';
import { routes } from './route';
import { sha256Schema, uploadIdSchema } from './uploads';

/**
 * Chosen by the client, unique per instansi: the same key again answers with the document
 * it made, never a second one. The workstation uses its outbox entry's id.
 */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an idempotency key is 1-128 of A-Z a-z 0-9 . _ : -');

/** Field values of a label, keyed by the field keys of the document type. */
export const FieldValues = z
  .record(z.string().regex(/^[a-z][a-z0-9_]*$/).max(64), z.string().max(1000))
  .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 fields');

/** Checked by the handler (fileNameProblem), so a bad name gets invalid_file_name, not invalid_input. */
const FileNameText = z.string().max(1024);

const Actor = z.object({ userId: z.number().int(), deviceId: z.string() });

export const DmsDocument = z.object({
  id: z.string(),
  instansiId: z.string(),
  idempotencyKey: z.string(),
  nip: z.string(),
  typeCode: z.string(),
  fields: z.record(z.string(), z.string()),
  fileName: z.string(),
  contentType: z.string(),
  sha256: sha256Schema,
  size: z.number().int().min(0),
  /** 1 when committed; every accepted update adds one. */
  version: z.number().int().positive(),
  /** A deleted document stays in the change feed (as a tombstone) and cannot be downloaded. */
  deleted: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: Actor,
  updatedBy: Actor,
});
export type DmsDocument = z.infer<typeof DmsDocument>;

export const CommitInput = z.strictObject({
  idempotencyKey: IdempotencyKey,
  /** A complete upload of the caller's instansi. */
  uploadId: uploadIdSchema,
  nip: z.string().min(1).max(40),
  typeCode: z.string().min(1).max(64),
  fields: FieldValues.default({}),
  /** Defaults to the upload's file name. */
  fileName: FileNameText.optional(),
});
export type CommitInput = z.input<typeof CommitInput>;

export const UpdateInput = z
  .strictObject({
    expectedVersion: z.number().int().positive(),
    nip: z.string().min(1).max(40).optional(),
    typeCode: z.string().min(1).max(64).optional(),
    /** Replaces all field values. */
    fields: FieldValues.optional(),
    fileName: FileNameText.optional(),
    /** New content: another complete upload (a rescan). */
    uploadId: uploadIdSchema.optional(),
    deleted: z.boolean().optional(),
  })
  .refine((input) => Object.keys(input).length > 1, 'an update changes at least one field');
export type UpdateInput = z.input<typeof UpdateInput>;

/**
 * `documents.send`: one request instead of tus creation + commit for a file no larger than
 * DOCUMENT_SEND.maxBytes. The body is the file's bytes (application/octet-stream, with
 * Content-Length); the label, the idempotency key and the SHA-256 the client expects ride
 * in one header, `Lemari-Document`: the JSON of SendInput, percent-encoded. Outside the
 * JSON route table (like tus), since the body is bytes; server/documents/send.ts serves it
 * and server/http/openapi.ts lists it from this declaration.
 */
export const SendInput = CommitInput.omit({ uploadId: true }).extend({
  /** The SHA-256 of the body: the server keeps nothing unless the bytes hash to it. */
  sha256: sha256Schema,
  /** Required here: there is no upload whose name it could default to. */
  fileName: FileNameText,
});
export type SendInput = z.input<typeof SendInput>;

export const DOCUMENT_SEND = {
  name: 'documents.send',
  method: 'POST',
  path: '/v1/documents/send',
  /** The header carrying SendInput (its JSON, percent-encoded). */
  header: 'lemari-document',
  /** Largest body accepted (and at most the server's LEMARI_MAX_UPLOAD_BYTES); larger files go by tus. */
  maxBytes: 16 * 1024 * 1024,
  summary:
    'Creates a document with its bytes in one request (files up to 16 MiB; larger ones go by tus, then documents.commit). The body is the file (Content-Length required); the Lemari-Document header carries the label, the idempotency key and the expected SHA-256. The server stores the bytes only if they hash to it, and answers like documents.commit: the same key and content again answers the same document (created: false), the same key with other content is a conflict.',
  tag: 'documents',
  access: 'user',
  response: z.object({ document: DmsDocument, created: z.boolean() }),
} as const;

/** The Lemari-Document header of a documents.send request: its JSON, percent-encoded (headers are ASCII; names need not be). */
export function sendHeader(input: SendInput): string {
  return encodeURIComponent(JSON.stringify(input));
}

/** What a Lemari-Document header carries (not yet checked), or null if it is not percent-encoded JSON. */
export function readSendHeader(header: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(header)) as unknown;
  } catch {
    return null;
  }
}

/** One document of a documents.sendBatch: what documents.send takes in its header, with the size of its bytes in the body. */
export const SendBatchItem = SendInput.extend({ size: z.number().int().min(0).max(DOCUMENT_SEND.maxBytes) });
export type SendBatchItem = z.input<typeof SendBatchItem>;

/** An item's answer: its document (as documents.send answers), or the error documents.send would have given for it alone. */
export const SendBatchResult = z.union([
  z.object({ document: DmsDocument, created: z.boolean() }),
  z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) }),
]);
export type SendBatchResult = z.infer<typeof SendBatchResult>;

/** Most documents in one documents.sendBatch. */
const MAX_BATCH_ITEMS = 32;

/**
 * `documents.sendBatch`: several small documents with their bytes in one request, so the
 * per-request work (authentication, the label facts, the insert, a disk flush each) is
 * shared by the group; the end-of-day sync of a thousand scans waits on it. The body is the
 * manifest (UTF-8 JSON, `{ items: SendBatchItem[] }`, its byte length in the
 * Lemari-Manifest-Length header) followed by each item's bytes in manifest order, `size`
 * of them each; Content-Length is the sum. Each item is checked, stored or refused on its
 * own, exactly as documents.send would: the answer (200) lists one result per item, in
 * order. A request-level fault (a bad manifest, a body cut short, a bad token) keeps no
 * document of the batch; the same keys sent again answer what was stored.
 */
export const DOCUMENT_SEND_BATCH = {
  name: 'documents.sendBatch',
  method: 'POST',
  path: '/v1/documents/send-batch',
  /** The header carrying the manifest's length in bytes (the body begins with it). */
  manifestHeader: 'lemari-manifest-length',
  contentType: 'application/vnd.lemari.batch',
  maxItems: MAX_BATCH_ITEMS,
  /** Largest manifest, in bytes. */
  maxManifestBytes: 256 * 1024,
  /** Largest sum of the items' sizes (and at most the server's LEMARI_MAX_UPLOAD_BYTES). */
  maxBytes: 64 * 1024 * 1024,
  summary:
    'Creates up to 32 small documents with their bytes in one request. The body is the manifest (JSON: items, each a documents.send label with its size), its byte length in the Lemari-Manifest-Length header, then each item\'s bytes in order. Each item is stored or refused on its own as documents.send would; the answer lists one result per item: the document (created or, for a key already used with the same content, found) or the error.',
  tag: 'documents',
  access: 'user',
  manifest: z
    .strictObject({ items: z.array(SendBatchItem).min(1).max(MAX_BATCH_ITEMS) })
    .refine((m) => new Set(m.items.map((item) => item.idempotencyKey)).size === m.items.length, 'each item has its own idempotency key'),
  response: z.object({ results: z.array(SendBatchResult) }),
} as const;

const DocumentId = z.strictObject({ id: z.uuid() });

export const documentRoutes = routes({
  'documents.commit': {
    method: 'POST',
    path: '/v1/documents',
    summary:
      'Commits a document for a complete upload. The same idempotencyKey again answers with the same document (created: false); the same key with other content is a conflict.',
    tag: 'documents',
    access: 'user',
    body: CommitInput,
    response: z.object({ document: DmsDocument, created: z.boolean() }),
  },
  'documents.changes': {
    method: 'GET',
    path: '/v1/documents/changes',
    summary: 'Documents of the caller\'s instansi changed since a cursor, deleted ones included.',
    tag: 'documents',
    access: 'user',
    query: ChangesQuery,
    response: changesOf(DmsDocument),
  },
  'documents.get': {
    method: 'GET',
    path: '/v1/documents/:id',
    summary: 'One document\'s metadata.',
    tag: 'documents',
    access: 'user',
    params: DocumentId,
    response: z.object({ document: DmsDocument }),
  },
  'documents.update': {
    method: 'PATCH',
    path: '/v1/documents/:id',
    summary: 'Updates a document if expectedVersion is its current version; otherwise version_conflict (409) with details.current.',
    tag: 'documents',
    access: 'user',
    params: DocumentId,
    body: UpdateInput,
    response: z.object({ document: DmsDocument }),
  },
  'documents.content': {
    method: 'GET',
    path: '/v1/documents/:id/content',
    summary:
      'The document\'s bytes, streamed. One `Range: bytes=` range gives 206 with Content-Range; a range beyond the end gives 416. ETag is the quoted SHA-256 (If-None-Match, If-Range).',
    tag: 'documents',
    access: 'user',
    params: DocumentId,
    response: null,
  },
});
