// Content-addressed blob store: <dir>/<first two hex>/<sha256 of the content>. A blob is
// written to a temp file, fsynced, renamed into place and the directory fsynced, so a crash
// never leaves a half-written file under a real name. Given a key, every blob is sealed at
// rest (see sealed.ts): the name is still the content's hash, the bytes on disk are not the
// content.

import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { constants, createReadStream, statSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { chunkCount, chunkSpan, HEADER_BYTES, openChunk, plainSizeOf, readHeader, sealedParts, sealedSize, CHUNK_BYTES, SealedBlobError, TAG_BYTES } from './sealed';

export interface BlobStore {
  /**
   * Stores bytes; returns their sha256. Idempotent for bytes already present. `sha256`:
   * the caller's hash of exactly these bytes, so a large file is not hashed twice.
   */
  put(bytes: Uint8Array, sha256?: string): Promise<string>;
  has(sha256: string): Promise<boolean>;
  read(sha256: string): Promise<Buffer>;
  /** The content, or an inclusive byte range of it. */
  stream(sha256: string, range?: { start: number; end: number }): Readable;
  /** What `stream` gives, as plain pieces (each a fresh buffer) for a consumer that needs no Node stream: a request body. */
  pieces(sha256: string, range?: { start: number; end: number }): AsyncIterable<Buffer>;
  size(sha256: string): Promise<number>;
  /** Recomputes a blob's hash from disk; null if missing, 'unreadable' if it fails authentication. */
  hashOnDisk(sha256: string): Promise<string | null>;
  list(): AsyncIterable<string>;
}

const SHA = /^[a-f0-9]{64}$/;

/** Sealed chunks read at once (64 KiB each): a scan of a few hundred KiB in one read. */
const READ_CHUNKS = 16;
/** Bytes READ_CHUNKS sealed chunks take at most. */
const READ_BYTES = READ_CHUNKS * (CHUNK_BYTES + TAG_BYTES);
/** Read buffers kept for the next blob: as many as blobs are read at once, a few. */
const KEPT_READ_BUFFERS = 4;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * sha256Hex off the main thread: WebCrypto's digest runs on the libuv thread pool, so an
 * import hashes on the other core while the main thread checks and stores the next file.
 */
export async function sha256HexAsync(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;
  /**
   * Read buffers of `pieces`, handed from one blob to the next: each is only read into and
   * decrypted from (the plaintext pieces are fresh), so a sync of a thousand scans does not
   * hand the garbage collector a fresh MiB of external memory per scan.
   */
  private readonly readBuffers: Buffer[] = [];

  /** `key`: 32 bytes to seal blobs at rest with; without it blobs are stored as they are. */
  constructor(
    private readonly dir: string,
    private readonly key?: Buffer,
  ) {
    this.tmpDir = join(dir, 'tmp');
  }

  async init(): Promise<this> {
    await mkdir(this.tmpDir, { recursive: true });
    // Temp files are only ever half-written blobs from an interrupted run.
    for (const name of await readdir(this.tmpDir)) await rm(join(this.tmpDir, name), { force: true });
    return this;
  }

  pathOf(sha256: string): string {
    if (!SHA.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Uint8Array, sha256?: string): Promise<string> {
    const sha = sha256 ?? sha256Hex(bytes);
    const target = this.pathOf(sha);
    if (await this.has(sha)) return sha;
    const temp = join(this.tmpDir, `${sha}.${randomBytes(6).toString('hex')}`);
    const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    try {
      if (this.key) await writeAll(handle, sealedParts(this.key, bytes), sealedSize(bytes.byteLength));
      else await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const shard = join(this.dir, sha.slice(0, 2));
    await this.renameInto(shard, temp, target);
    await syncDir(shard);
    return sha;
  }

  /** Shard directories this store made or found: at most 256, and a mkdir each blob spared. */
  private readonly shards = new Set<string>();

  private async renameInto(shard: string, temp: string, target: string): Promise<void> {
    if (!this.shards.has(shard)) {
      await mkdir(shard, { recursive: true });
      this.shards.add(shard);
    }
    try {
      await rename(temp, target);
    } catch (error) {
      // Removed behind our back (a clean-up of empty folders): made again once.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(shard, { recursive: true });
      await rename(temp, target);
    }
  }

  async has(sha256: string): Promise<boolean> {
    // A stat of a cached directory entry takes microseconds; the async one of a missing blob
    // (every new blob of an import) went through the thread pool and built an ENOENT Error.
    return statSync(this.pathOf(sha256), { throwIfNoEntry: false })?.isFile() ?? false;
  }

  async read(sha256: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.pieces(sha256)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  stream(sha256: string, range?: { start: number; end: number }): Readable {
    if (!this.key) return createReadStream(this.pathOf(sha256), range);
    return Readable.from(this.pieces(sha256, range));
  }

  async size(sha256: string): Promise<number> {
    const fileSize = (await stat(this.pathOf(sha256))).size;
    return this.key ? plainSizeOf(fileSize) : fileSize;
  }

  async hashOnDisk(sha256: string): Promise<string | null> {
    if (!(await this.has(sha256))) return null;
    const hash = createHash('sha256');
    try {
      for await (const chunk of this.pieces(sha256)) hash.update(chunk);
    } catch (error) {
      if (error instanceof SealedBlobError) return 'unreadable';
      throw error;
    }
    return hash.digest('hex');
  }

  async *list(): AsyncIterable<string> {
    for (const shard of await readdir(this.dir)) {
      if (!/^[a-f0-9]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.dir, shard))) if (SHA.test(name)) yield name;
    }
  }

  /**
   * The content in pieces, decrypting only the chunks a range touches. Sealed chunks are read
   * READ_CHUNKS at a time into a read buffer kept from blob to blob (each piece yielded is the
   * decipher's own fresh output): one read per 1 MiB instead of one per 64 KiB chunk, and no
   * new buffer per read for the garbage collector to account for.
   */
  async *pieces(sha256: string, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
    if (!this.key) {
      for await (const piece of createReadStream(this.pathOf(sha256), range)) yield piece as Buffer;
      return;
    }
    const handle: FileHandle = await open(this.pathOf(sha256), 'r');
    let held: Buffer | null = null;
    try {
      const { size: fileSize } = await handle.stat();
      const header = Buffer.alloc(HEADER_BYTES);
      await handle.read(header, 0, HEADER_BYTES, 0);
      const nonce = readHeader(header);
      const plainSize = plainSizeOf(fileSize);
      const count = chunkCount(plainSize);
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? plainSize - 1, plainSize - 1);
      if (end < start) return;
      const first = Math.floor(start / CHUNK_BYTES);
      const last = Math.min(Math.floor(end / CHUNK_BYTES), count - 1);
      const sealed = this.readBuffers.pop() ?? Buffer.allocUnsafe(READ_BYTES); // filled by each read, checked below
      held = sealed;
      for (let batch = first; batch <= last; batch += READ_CHUNKS) {
        const upTo = Math.min(last, batch + READ_CHUNKS - 1);
        const from = chunkSpan(batch, plainSize).offset;
        const until = chunkSpan(upTo, plainSize);
        const length = until.offset + until.length - from;
        const { bytesRead } = await handle.read(sealed, 0, length, from);
        for (let index = batch; index <= upTo; index++) {
          const span = chunkSpan(index, plainSize);
          if (span.offset + span.length - from > bytesRead) throw new SealedBlobError(`chunk ${index} is cut short`);
          const plain = openChunk(this.key, nonce, index, count, sealed.subarray(span.offset - from, span.offset - from + span.length));
          const at = index * CHUNK_BYTES;
          yield plain.subarray(Math.max(0, start - at), Math.min(plain.length, end - at + 1));
        }
      }
    } finally {
      if (held && this.readBuffers.length < KEPT_READ_BUFFERS) this.readBuffers.push(held);
      await handle.close();
    }
  }
}

/** Writes the sealed pieces as they are, sparing a concatenated copy of the whole blob. */
async function writeAll(handle: FileHandle, parts: Buffer[], expected: number): Promise<void> {
  let written = 0;
  // Bounded per call: the OS takes at most IOV_MAX (1024 on Linux) pieces per write.
  for (let i = 0; i < parts.length; i += 512) written += (await handle.writev(parts.slice(i, i + 512))).bytesWritten;
  if (written !== expected) throw new Error(`short write: ${written} of ${expected} bytes`);
}

/** fsync a directory so a rename in it is durable (a no-op where the OS refuses, e.g. Windows). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open directories; NTFS journals the rename itself.
  } finally {
    await handle?.close();
  }
}
