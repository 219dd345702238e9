// The bytes of documents.send and documents.sendBatch, which come in the request body
// rather than by tus: received into a private temp file of the upload directory while
// hashed, kept only if they hash to what the client declared, then moved into the blob store
// (content addressed: bytes it has already are not stored again). The temp file never
// outlives the request: it is moved, or removed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { blobKey, type BlobFacts, type BlobStore } from '../blobs';
import { DmsError } from '../http/errors';

const cut = () => new DmsError('invalid_input', 'The body ended before Content-Length bytes arrived; nothing was kept.');

// A 413 leaves the body unread: closing the connection spares the server reading it.
export const tooLarge = (message: string, details: Record<string, unknown>) => new DmsError('payload_too_large', message, details, { connection: 'close' });

/** A header's value as a byte count, or null when it is missing or not a whole number. */
export function byteCount(header: string | string[] | undefined): number | null {
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header.trim())) return null;
  return Number(header.trim());
}

/** A folder of `uploadDir` for received bodies, made once; each call of the answer names a new file in it. */
export async function tempFiles(uploadDir: string): Promise<() => string> {
  // In the upload directory, so that moving a file into a directory blob store on the same disk is a rename.
  const folder = join(uploadDir, 'send');
  await mkdir(folder, { recursive: true });
  return () => join(folder, randomBytes(16).toString('hex'));
}

/** Bytes gathered before they go to the file in one vectored write: a scan of a few hundred KiB takes one. */
const WRITE_BYTES = 1024 * 1024;
/** Buffers per vectored write: the OS takes at most IOV_MAX (1024 on Linux) at once. */
const WRITE_PIECES = 512;

/** Writes `pieces` at the end of what `file` holds (it was opened for this and is written in order). */
async function append(file: FileHandle, pieces: Buffer[], bytes: number): Promise<void> {
  let written = 0;
  for (let i = 0; i < pieces.length; i += WRITE_PIECES) written += (await file.writev(pieces.slice(i, i + WRITE_PIECES))).bytesWritten;
  if (written !== bytes) throw new Error(`short write: ${written} of ${bytes} bytes`);
}

/**
 * Writes `size` bytes of `body` to a new file at `path` while hashing them, and keeps the
 * file only if they hash to `sha256` (checksum_mismatch otherwise; invalid_input when the
 * body ends first), fsynced before it closes, so that `keep` moves it without opening it
 * again. Answers their first bytes, for the content type. The bytes go to the file in
 * vectored writes of up to WRITE_BYTES as they arrive (reading waits for each write), so a
 * document of less than that is written, flushed and closed only once its hash is checked:
 * one open, one write, one fsync, one close, and nothing written for a mismatch.
 */
export async function receive(body: AsyncIterable<Buffer>, path: string, size: number, sha256: string): Promise<Buffer> {
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seen = 0;
  // Opened at the first write; closed once written and flushed, or on a failure.
  const held: { file: FileHandle | null } = { file: null };
  const write = async () => {
    held.file ??= await open(path, 'wx');
    await append(held.file, pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
  };
  try {
    // The parser delivers at most Content-Length bytes; fewer means the client went away.
    try {
      for await (const chunk of body) {
        hash.update(chunk);
        if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
        seen += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= WRITE_BYTES) await write();
      }
    } catch (error) {
      throw error instanceof DmsError ? error : cut();
    }
    if (seen !== size) throw new DmsError('invalid_input', `The body had ${seen} bytes; Content-Length said ${size}.`);
    const received = hash.digest('hex');
    if (received !== sha256) {
      throw new DmsError('checksum_mismatch', 'The bytes received do not hash to the declared SHA-256; nothing was kept.', { declared: sha256, received });
    }
    await write();
    const file = held.file!;
    await file.sync();
    held.file = null;
    await file.close();
    return head;
  } catch (error) {
    await held.file?.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}

/**
 * Moves a file `receive` kept into the blob store under its hash, or removes it when the
 * store has those bytes already; answers the blob's key. `receive` fsynced the file before it
 * closed it, so the bytes are on disk before the move, and before any row names them.
 */
export async function keep(blobs: BlobStore, path: string, facts: BlobFacts): Promise<string> {
  const key = blobKey(facts.sha256);
  let moved = false;
  try {
    if (!(await blobs.stat(key))) {
      await blobs.moveFile(key, path, facts, { synced: true });
      moved = true;
    }
  } finally {
    if (!moved) await rm(path, { force: true });
  }
  return key;
}

/**
 * A request body read in pieces of known sizes, one after the other (documents.sendBatch:
 * the manifest, then each document's bytes). A body that ends before a piece does, as when
 * the client goes away, fails that piece with invalid_input.
 */
export class BodyReader {
  private readonly chunks: AsyncIterator<Buffer>;
  /** What the last chunk held beyond the piece it ended. */
  private rest: Buffer = Buffer.alloc(0);

  constructor(body: AsyncIterable<Buffer>) {
    this.chunks = body[Symbol.asyncIterator]();
  }

  /** The next `size` bytes, as they arrive. */
  async *piece(size: number): AsyncGenerator<Buffer> {
    for (let left = size; left > 0; ) {
      if (this.rest.length === 0) this.rest = await this.chunk();
      const part = this.rest.subarray(0, left);
      this.rest = this.rest.subarray(part.length);
      left -= part.length;
      yield part;
    }
  }

  async bytes(size: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of this.piece(size)) parts.push(part);
    return Buffer.concat(parts);
  }

  async skip(size: number): Promise<void> {
    for await (const _ of this.piece(size));
  }

  private async chunk(): Promise<Buffer> {
    let next: IteratorResult<Buffer>;
    try {
      next = await this.chunks.next();
    } catch {
      throw cut();
    }
    if (next.done) throw cut();
    return next.value;
  }
}

/**
 * Registers a POST route whose handler reads the body itself, as a stream; in a scope of
 * its own, since no parser may buffer the body first. Named like a route of the table, so
 * metrics and logs count it under its name.
 */
export async function registerBodyRoute<T>(
  app: FastifyInstance,
  route: { name: string; method: 'POST'; path: string; response: z.ZodType<T> },
  handle: (request: FastifyRequest) => Promise<T>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({
      method: route.method,
      url: route.path,
      config: { routeName: route.name },
      handler: async (request, reply) => reply.code(200).send(route.response.parse(await handle(request))),
    });
  });
}
