// Resumable uploads: the tus 1.0 protocol at /v1/uploads (creation, HEAD, PATCH; outside
// the JSON route table, since tus speaks in headers), the metadata a client declares when
// it creates an upload, and `uploads.get`, the JSON answer to "is my upload complete, or
// where do I resume?". The server accepts an upload only when the bytes it stored hash to
// the SHA-256 the client declared.
import { z } from 'zod';
import { routes } from './route';

/** Where the tus endpoint lives; an upload's URL is `${TUS_PATH}/${id}`. */
export const TUS_PATH = '/v1/uploads';
export const TUS_VERSION = '1.0.0';

/** Longest file name, in UTF-8 bytes (what common file systems allow for one name). */
export const MAX_FILE_NAME_BYTES = 255;

export const uploadIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'an upload id is 32 lowercase hex digits');
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Why a file name is refused, or null when it is fine. The name is only a label (bytes are
 * stored by hash), but it is shown to people and may become a file name on an export, so
 * nothing that could climb out of a folder or hide in a terminal passes.
 */
export function fileNameProblem(name: string | null | undefined): string | null {
  if (name === null || name === undefined || name.trim() === '') return 'the file name is empty';
  if (/[/\\]/.test(name)) return 'the file name contains a path separator';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'the file name contains a control character';
  if (name === '.' || name === '..') return 'the file name is a path component';
  if (utf8Length(name) > MAX_FILE_NAME_BYTES) return `the file name is longer than ${MAX_FILE_NAME_BYTES} bytes`;
  return null;
}

/**
 * The Upload-Metadata of a tus creation request (each value base64 in the header, as tus
 * says). Keys outside this list are refused like unknown fields anywhere in the API.
 */
export const uploadMetadataSchema = z.strictObject({
  filename: z.string().refine((name) => fileNameProblem(name) === null, { message: 'invalid file name' }),
  sha256: sha256Schema,
});
export type UploadMetadata = z.infer<typeof uploadMetadataSchema>;

export const UPLOAD_STATUSES = ['receiving', 'complete', 'rejected', 'expired'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export const uploadStatusSchema = z.object({
  id: uploadIdSchema,
  /**
   * `receiving`: resume at `offset` (at `offset` = `size`, the check of the bytes failed
   * for a passing reason, such as the object store: an empty PATCH at that offset runs
   * it again); `complete`: the bytes are verified and stored, commit the document;
   * `rejected`: they did not hash to `sha256` and were discarded; `expired`: abandoned
   * too long and removed. After `rejected` or `expired`, upload again.
   */
  status: z.enum(UPLOAD_STATUSES),
  offset: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  sha256: sha256Schema,
  fileName: z.string(),
  createdAt: z.iso.datetime(),
  /** When a `receiving` upload will be removed unless more bytes arrive. */
  expiresAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
});
export type UploadStatusInfo = z.infer<typeof uploadStatusSchema>;

export const uploadRoutes = routes({
  'uploads.get': {
    method: 'GET',
    path: `${TUS_PATH}/:id/status`,
    summary: 'The state of a tus upload of the caller\'s instansi: resume offset, or complete and verified.',
    tag: 'uploads',
    access: 'user',
    params: z.strictObject({ id: uploadIdSchema }),
    response: uploadStatusSchema,
  },
});
