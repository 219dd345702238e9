// Where tus keeps uploads in progress: @tus/file-store in the upload directory (a folder
// every node reaches), with these changes. An upload's size and metadata come from its
// row in the uploads table, not from a tus record file beside its bytes (one file read per
// PATCH less). Each write records progress in the uploads table, which is what expiry
// looks at. Bytes go to the file in few large writes (FileSink). And an upload that is
// already complete (its bytes moved into the blob store) still answers HEAD with its full
// offset, from its row: a client whose last PATCH lost its answer learns that it is done
// instead of starting over.
//
// The SHA-256 is taken while the bytes are written, in the same pass (HASHING below),
// when one node has seen an upload's every byte in order; otherwise (a resume through
// another node, a restart, a broken PATCH) from the stored file once the last byte is in.
// On the event loop, not a worker thread: a worker reading the file back behind the
// writer cost more CPU in all (an extra copy, thread hand-offs) and was slower on two
// shared cores (docs/PERFORMANCE.md, server-upload).
//
// Durability: a PATCH is acknowledged once its bytes are written to the file, not
// fsynced; the file is fsynced once, when the last byte is in and before the upload
// counts. An acknowledged offset survives a crash of the server process (the bytes are in
// the kernel's page cache), not necessarily a crash of the machine: then HEAD answers the
// size the file has on disk, the client resumes there, and whatever the crash tore is
// caught by the SHA-256 check at the end (the upload is rejected and sent again), never
// kept. An fsync per PATCH would stall every PATCH on the disk (see docs/PERFORMANCE.md).
import { createHash, type Hash } from 'node:crypto';
import { close, createReadStream, open as openFd, writev } from 'node:fs';
import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS, Upload } from '@tus/server';

/** What the uploads table says of an upload (service.ts). */
export interface UploadFacts {
  status: string;
  size: number;
  fileName: string;
  sha256: string;
  createdAt: string;
}

export interface UploadStoreHooks {
  /** Bytes arrived for an upload (or an attempt ended): record progress. */
  progressed(id: string): Promise<void>;
  /** The upload's row, or null when there is none. */
  row(id: string): Promise<UploadFacts | null>;
}

/** Most uploads whose running hash a node keeps; beyond, the oldest falls back to reading back. */
const MAX_HASHING = 10_000;
/** Most uploads whose size and metadata a node keeps at hand (they never change). */
const MAX_KNOWN = 10_000;
/** Bytes the sink may hold before it slows the socket: fewer, larger writes than fs's 16 KiB default. */
const WRITE_HIGH_WATER_MARK = 1024 * 1024;

/** SHA-256 of an upload's bytes [0, offset), as this node wrote them. */
interface Hashing {
  hash: Hash;
  offset: number;
}

/**
 * Writes a stream's bytes into a file from `position` on, handing each chunk to `accepted`
 * as it takes it (before it is written). Chunks are gathered into few large
 * pwritev calls: the socket hands over 64 KiB at a time, and a write per chunk costs the
 * event loop a hand-off to the thread pool and back each time (measured: the thread
 * pool's CPU per GiB about halved, docs/PERFORMANCE.md, server-upload). The sink corks on the first chunk of an event-loop turn
 * and uncorks once that turn's reads are in (setImmediate), so everything that arrived in
 * one turn goes in one call, and a body that pauses is written at once (a cut PATCH keeps
 * what had arrived before the pause). While a write is in flight, chunks queue up to the
 * high-water mark and go in the next call.
 */
class FileSink extends Writable {
  private fd = -1;
  private corked = false;
  private writing = false;
  private afterWrite: (() => void) | null = null;

  constructor(
    private readonly path: string,
    private position: number,
    private readonly accepted: (chunk: Buffer) => void,
  ) {
    super({ highWaterMark: WRITE_HIGH_WATER_MARK });
  }

  /** Bytes of the file up to here are written. */
  get reached(): number {
    return this.position;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Writable.write's overloads, passed on as they came
  override write(...args: any[]): boolean {
    this.accepted(args[0] as Buffer); // pipe() writes Buffers
    if (!this.corked) {
      this.corked = true;
      this.cork();
      setImmediate(() => {
        this.corked = false;
        this.uncork();
      });
    }
    return (super.write as (...a: unknown[]) => boolean)(...args);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    openFd(this.path, 'r+', (error, fd) => {
      if (!error) this.fd = fd;
      callback(error);
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll([chunk], callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.writeAll(
      chunks.map((c) => c.chunk),
      callback,
    );
  }

  private writeAll(buffers: Buffer[], callback: (error?: Error | null) => void): void {
    this.writing = true;
    writev(this.fd, buffers, this.position, (error, n) => {
      this.writing = false;
      if (this.afterWrite) {
        // Destroyed meanwhile (the request broke off): close now, write nothing more.
        const closeFile = this.afterWrite;
        this.afterWrite = null;
        if (!error) this.position += n;
        closeFile();
        return callback(error ?? new Error('the upload write ended'));
      }
      if (error) return callback(error);
      this.position += n;
      // A short write (rare on a file): the rest goes in the next call.
      let rest = buffers;
      for (let skip = n; skip > 0 && rest.length > 0; ) {
        const first = rest[0];
        if (first.length <= skip) {
          skip -= first.length;
          rest = rest.slice(1);
        } else {
          rest = [first.subarray(skip), ...rest.slice(1)];
          skip = 0;
        }
      }
      if (rest.length > 0 && n > 0) this.writeAll(rest, callback);
      else if (rest.length > 0) callback(new Error(`${this.path}: nothing written`));
      else callback();
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const closeFile = () => {
      const fd = this.fd;
      this.fd = -1;
      if (fd < 0) return callback(error);
      close(fd, (closeError) => callback(error ?? closeError));
    };
    // A write still in flight must end first: the descriptor's number, once closed, may be
    // handed out again, and that write would land in another file.
    if (this.writing) this.afterWrite = closeFile;
    else closeFile();
  }
}

export class UploadStore extends FileStore {
  /**
   * HASHING: the running SHA-256 of uploads this node wrote from their first byte on, by
   * id. Valid only while the file holds exactly the bytes hashed: a write that fails may
   * have left some bytes unhashed, so it drops its entry; a write by another node moves
   * the file's offset past `offset`, so the entry no longer matches and is dropped.
   */
  private readonly hashing = new Map<string, Hashing>();
  /** Size, name and declared SHA-256 by id, from the uploads table: they never change, so every PATCH need not ask. */
  private readonly known = new Map<string, Omit<UploadFacts, 'status'>>();
  /** How many finished uploads were hashed by reading their file back (tests, and a hint for operators). */
  readBacks = 0;

  constructor(
    directory: string,
    private readonly hooks: UploadStoreHooks,
  ) {
    super({ directory });
    // Only what this server supports: the length is always declared up front, and expiry
    // and termination are the server's own business (see service.ts).
    this.extensions = ['creation', 'creation-with-upload'];
  }

  path(id: string): string {
    if (!/^[0-9a-f]{32}$/.test(id)) throw ERRORS.FILE_NOT_FOUND;
    return join(this.directory, id);
  }

  /**
   * The bytes of a new upload: an empty file. tus's own record beside it (`<id>.json`,
   * FileStore's configstore) is not written: the uploads table holds the same facts, and
   * every PATCH read it back from the shared directory.
   */
  override async create(upload: Upload): Promise<Upload> {
    const path = this.path(upload.id);
    await mkdir(this.directory, { recursive: true });
    await writeFile(path, '', { flag: 'wx' });
    upload.storage = { type: 'file', path };
    return upload;
  }

  /** An upload's size and metadata from its row (cached), and its offset from its file's size. */
  override async getUpload(id: string): Promise<Upload> {
    const path = this.path(id);
    let facts = this.known.get(id);
    if (!facts) {
      const row = await this.hooks.row(id);
      if (!row) throw ERRORS.FILE_NOT_FOUND;
      facts = { size: row.size, fileName: row.fileName, sha256: row.sha256, createdAt: row.createdAt };
      this.known.set(id, facts);
      if (this.known.size > MAX_KNOWN) this.known.delete(this.known.keys().next().value!);
    }
    const metadata = { filename: facts.fileName, sha256: facts.sha256 };
    let offset: number;
    try {
      offset = (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Complete, its bytes moved into the blob store: HEAD answers the full offset.
      const row = await this.hooks.row(id);
      if (row?.status === 'complete') return new Upload({ id, size: row.size, offset: row.size, metadata, creation_date: facts.createdAt });
      throw ERRORS.FILE_NO_LONGER_EXISTS;
    }
    return new Upload({ id, size: facts.size, offset, metadata, creation_date: facts.createdAt, storage: { type: 'file', path } });
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const path = this.path(id);
    let running = this.hashing.get(id);
    this.hashing.delete(id);
    if (running?.offset !== offset) running = offset === 0 ? { hash: createHash('sha256'), offset: 0 } : undefined;
    const sink = new FileSink(path, offset, (chunk) => running?.hash.update(chunk));
    try {
      await pipeline(readable, sink);
    } catch {
      // Complete (moved into the blob store): a repeated last PATCH of 0 bytes is fine.
      if ((await this.hooks.row(id))?.status === 'complete') {
        readable.resume();
        return offset;
      }
      throw ERRORS.FILE_WRITE_ERROR;
    } finally {
      await this.hooks.progressed(id);
    }
    if (running) {
      running.offset = sink.reached;
      this.hashing.set(id, running);
      if (this.hashing.size > MAX_HASHING) this.hashing.delete(this.hashing.keys().next().value!);
    }
    return sink.reached;
  }

  /**
   * SHA-256 of the stored bytes (`size` of them), with the file flushed to disk: the hash
   * taken while writing when it covers them all, else read back while the file is fsynced
   * (its pages are still in the cache, so the hash runs beside the disk's flush).
   */
  async hashAndSync(id: string, size: number): Promise<string> {
    const path = this.path(id);
    const running = this.hashing.get(id);
    this.hashing.delete(id);
    const sync = async () => {
      const handle = await open(path, 'r');
      try {
        await handle.sync();
        return (await handle.stat()).size;
      } finally {
        await handle.close();
      }
    };
    const hash = async () => {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
      return hash.digest('hex');
    };
    if (running?.offset === size) {
      // The file may only grow under the lock; its size proves no other node appended.
      if ((await sync()) === size) return running.hash.digest('hex');
    }
    this.readBacks++;
    const [sha256] = await Promise.all([hash(), sync()]);
    return sha256;
  }

  /** Removes an upload's bytes (and the tus record older versions kept beside them); nothing if they are already gone. */
  async discard(id: string): Promise<void> {
    const path = this.path(id);
    this.hashing.delete(id);
    this.known.delete(id);
    await rm(path, { force: true });
    await rm(`${path}.json`, { force: true });
  }
}
