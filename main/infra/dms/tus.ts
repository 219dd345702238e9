// A small tus 1.0 client over fetch, for the sync engine's uploads to the central server
// (server/uploads/tus.ts): creation with Upload-Length and the Upload-Metadata the server
// requires (`filename`, `sha256`, base64 values), optionally carrying the first bytes (tus
// creation-with-upload: a file of one chunk goes up in a single request), HEAD to learn
// where to resume, and PATCH of one chunk at a time. It keeps no state: the engine stores
// the upload URL and offset in its database, so a resume after a crash is just HEAD then
// PATCH. Failures come back as DmsCallError like every other server call, so the engine
// decides retry or reject once. Beside tus, `send`: documents.send, a small file and its
// label in one request (no upload to resume: a cut one is sent again whole), and
// `sendBatch`: documents.sendBatch, several of them in one request.
import { DOCUMENT_SEND, DOCUMENT_SEND_BATCH, sendHeader, type DmsDocument, type SendBatchItem, type SendInput } from '../../../common/dms/documents';
import { DMS_ERROR_CODES, isDmsErrorCode } from '../../../common/dms/errors';
import { TUS_PATH, TUS_VERSION } from '../../../common/dms/uploads';
import { apiError, DmsCallError, errorOf, readAnswer } from './index';

/**
 * Bytes a request carries: in memory, or streamed with their length (the sync engine streams
 * them out of the blob store). A streamed body goes to the socket piece by piece with its
 * Content-Length; fetch copies an in-memory one whole first, one more copy of every file
 * for the garbage collector.
 */
export type Payload = Uint8Array | { stream: AsyncIterable<Uint8Array>; length: number };

/** How to stop reading a streamed body whose request failed (see webStream). */
const abandon = new WeakMap<object, () => void>();

/**
 * A streamed payload as fetch's body: a plain (not byte) web stream over the pieces, pulled
 * one at a time. fetch copies every piece of an async iterable it is given (undici wraps it in
 * a byte stream and clones each chunk); a web stream's chunks go to the socket as they are.
 * When the connection is cut, fetch still pulls the body to its end: once the request has
 * failed (abandon), the next pull ends the stream, which closes the source (a blob file).
 */
function webStream(pieces: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = pieces[Symbol.asyncIterator]();
  let abandoned = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (abandoned) {
          await iterator.return?.();
          controller.error(new Error('the request failed; its body is not read further'));
          return;
        }
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else if (value.byteLength > 0) controller.enqueue(value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  abandon.set(stream, () => (abandoned = true));
  return stream;
}

/**
 * The pieces of a documents.sendBatch body: the manifest, then each item's bytes in order.
 * `done(index)` runs once an item's bytes have all been handed to the request (its progress).
 */
async function* batchPieces(head: Uint8Array, parts: Payload[], done: (index: number) => void): AsyncGenerator<Uint8Array> {
  yield head;
  for (const [index, part] of parts.entries()) {
    if (part instanceof Uint8Array) yield part;
    else yield* part.stream;
    done(index);
  }
}

/** One document's answer in a documents.sendBatch: its document, or the call error documents.send would have thrown for it alone. */
export type BatchResult = { document: DmsDocument; created: boolean } | { error: DmsCallError };

/** The body and headers of a request carrying `payload`. */
function bodyOf(payload: Payload): { body: RequestInit['body']; duplex?: 'half'; headers: Record<string, string> } {
  if (payload instanceof Uint8Array) return { body: payload, headers: {} };
  return { body: webStream(payload.stream), duplex: 'half', headers: { 'content-length': String(payload.length) } };
}

export interface TusUploads {
  /**
   * Creates an upload, with `bytes` (from offset 0) in the same request when given; answers
   * its absolute URL and the server's offset. The server answers only after it stored the
   * bytes, and, when they were the whole file, after it checked their SHA-256.
   */
  create(p: { size: number; fileName: string; sha256: string; token: string; bytes?: Payload; signal?: AbortSignal }): Promise<{ url: string; offset: number }>;
  /** The server's offset of an upload (HEAD). */
  offset(url: string, token: string, signal?: AbortSignal): Promise<number>;
  /** Sends `bytes` at `offset`; answers the server's new offset. */
  patch(url: string, offset: number, bytes: Payload, token: string, signal?: AbortSignal): Promise<number>;
  /** documents.send: creates the document with `bytes` (the whole file) in one request; answers like documents.commit. */
  send(p: { input: SendInput; bytes: Payload; token: string; signal?: AbortSignal }): Promise<{ document: DmsDocument; created: boolean }>;
  /**
   * documents.sendBatch: several small documents with their bytes in one request; answers one
   * result per item, in order (its document, or the error documents.send would have thrown).
   * `sent(index)` runs once item `index`'s bytes have all gone into the request.
   */
  sendBatch(p: { items: { input: SendInput; bytes: Payload }[]; token: string; signal?: AbortSignal; sent?: (index: number) => void }): Promise<BatchResult[]>;
}

export interface TusOptions {
  baseUrl: string;
  /** Per-request limit, per file a request carries (a batch gets it once per file); a chunk over a slow link needs a long one. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function createTusUploads(options: TusOptions): TusUploads {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  /** `files`: how many files the request carries; each gets the per-file time. */
  async function request(url: string, init: RequestInit & { headers: Record<string, string>; duplex?: 'half' }, token: string, signal?: AbortSignal, files = 1): Promise<Response> {
    const timeout = AbortSignal.timeout((options.timeoutMs ?? 120_000) * files);
    // Tus-Resumable goes on documents.send too: harmless there, and one request shape for the proxy and the logs.
    const headers = { 'tus-resumable': TUS_VERSION, authorization: `Bearer ${token}`, ...init.headers };
    let res: Response;
    try {
      res = await doFetch(url, { ...init, headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (init.body instanceof ReadableStream) abandon.get(init.body)?.();
      if (signal?.aborted) throw error; // cancelled by the caller, not a failure of the link
      const timedOut = timeout.aborted;
      throw new DmsCallError(timedOut ? 'timeout' : 'network', timedOut ? `No answer from ${base} in time.` : `Cannot reach ${base}: ${(error as Error).message}`, null);
    }
    if (res.status >= 400) {
      if (init.body instanceof ReadableStream) abandon.get(init.body)?.();
      throw await errorOf(res);
    }
    return res;
  }

  function offsetOf(res: Response): number {
    const offset = Number(res.headers.get('upload-offset'));
    if (!Number.isSafeInteger(offset) || offset < 0) throw new DmsCallError('bad_response', 'The server did not say the upload offset.', res.status);
    return offset;
  }

  return {
    async create({ size, fileName, sha256, token, bytes, signal }) {
      const headers: Record<string, string> = { 'upload-length': String(size), 'upload-metadata': `filename ${b64(fileName)},sha256 ${b64(sha256)}` };
      const withBytes = bytes !== undefined && bytes.length > 0;
      let init: RequestInit & { headers: Record<string, string>; duplex?: 'half' } = { method: 'POST', headers };
      if (withBytes) {
        const { headers: length, ...body } = bodyOf(bytes);
        init = { ...init, ...body, headers: { ...headers, ...length, 'content-type': 'application/offset+octet-stream' } };
      }
      const res = await request(base + TUS_PATH, init, token, signal);
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (res.status !== 201 || !location) throw new DmsCallError('bad_response', 'The server created no upload.', res.status);
      // Without bytes the server may leave Upload-Offset out: a new upload stands at 0.
      const offset = withBytes ? offsetOf(res) : 0;
      if (withBytes && offset > bytes.length) throw new DmsCallError('bad_response', 'The server claims more bytes than were sent.', res.status);
      return { url: new URL(location, base + '/').href, offset };
    },

    async offset(url, token, signal) {
      const res = await request(url, { method: 'HEAD', headers: {} }, token, signal);
      return offsetOf(res);
    },

    async patch(url, offset, bytes, token, signal) {
      const { headers: length, ...body } = bodyOf(bytes);
      const res = await request(url, { method: 'PATCH', headers: { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', ...length }, ...body }, token, signal);
      await res.body?.cancel();
      return offsetOf(res);
    },

    async send({ input, bytes, token, signal }) {
      const { headers: length, ...body } = bodyOf(bytes);
      const headers = { 'content-type': 'application/octet-stream', [DOCUMENT_SEND.header]: sendHeader(input), ...length };
      const res = await request(base + DOCUMENT_SEND.path, { method: DOCUMENT_SEND.method, headers, ...body }, token, signal);
      // A cut answer is retried with the same key (the document may exist): never a rejection.
      return readAnswer(res, DOCUMENT_SEND.name, DOCUMENT_SEND.response, base, signal);
    },

    async sendBatch({ items, token, signal, sent }) {
      const manifest: SendBatchItem[] = items.map(({ input, bytes }) => ({ ...input, size: bytes.length }));
      const head = Buffer.from(JSON.stringify({ items: manifest }), 'utf8');
      const length = items.reduce((sum, { bytes }) => sum + bytes.length, head.length);
      const { headers: sized, ...body } = bodyOf({ length, stream: batchPieces(head, items.map((item) => item.bytes), (index) => sent?.(index)) });
      const headers = { 'content-type': DOCUMENT_SEND_BATCH.contentType, [DOCUMENT_SEND_BATCH.manifestHeader]: String(head.length), ...sized };
      const res = await request(base + DOCUMENT_SEND_BATCH.path, { method: DOCUMENT_SEND_BATCH.method, headers, ...body }, token, signal, items.length);
      const { results } = await readAnswer(res, DOCUMENT_SEND_BATCH.name, DOCUMENT_SEND_BATCH.response, base, signal);
      if (results.length !== items.length) throw new DmsCallError('bad_response', `The server answered ${results.length} results for ${items.length} documents.`, res.status);
      return results.map((result) => {
        if ('document' in result) return result;
        const { code, message } = result.error;
        const status = isDmsErrorCode(code) ? DMS_ERROR_CODES[code] : null;
        return { error: apiError(result.error, status) ?? new DmsCallError('bad_response', `${code}: ${message}`, res.status) };
      });
    },
  };
}

/** The upload id at the end of an upload URL (what `uploads.get` and `documents.commit` take). */
export function uploadIdOf(url: string): string {
  return new URL(url).pathname.split('/').pop() ?? '';
}
