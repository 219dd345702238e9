// Where tus keeps uploads in progress: @tus/file-store in the upload directory (a folder
// every node reaches), with two changes. Each write records progress in the uploads
// table, which is what expiry looks at. And an upload that is already complete (its bytes
// moved into the blob store) still answers HEAD with its full offset, from its row: a
// client whose last PATCH lost its answer learns that it is done instead of starting over.
//
// The SHA-256 is taken while the bytes are written, in the same pass (HASHING below),
// when one node has seen an upload's every byte in order; otherwise (a resume through
// another node, a restart, a broken PATCH) from the stored file once the last byte is in.
//
// Durability: a PATCH is acknowledged once its bytes are written to the file, not
// fsynced; the file is fsynced once, when the last byte is in and before the upload
// counts. An acknowledged offset survives a crash of the server process (the bytes are in
// the kernel's page cache), not necessarily a crash of the machine: then HEAD answers the
// size the file has on disk, the client resumes there, and whatever the crash tore is
// caught by the SHA-256 check at the end (the upload is rejected and sent again), never
// kept. An fsync per PATCH would stall every PATCH on the disk (see docs/PERFORMANCE.md).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS, Upload } from '@tus/server';

export interface UploadStoreHooks {
  /** Bytes arrived for an upload (or an attempt ended): record progress. */
  progressed(id: string): Promise<void>;
  /** The row of an upload whose bytes are no longer in the upload directory. */
  finished(id: string): Promise<{ status: string; size: number; fileName: string; sha256: string } | null>;
}

/** SHA-256 of an upload's bytes [0, offset), as this node wrote them. */
interface Hashing {
  hash: Hash;
  offset: number;
}

/** Most uploads whose running hash a node keeps; beyond, the oldest falls back to reading back. */
const MAX_HASHING = 10_000;
/** Bytes handed to the file per write call: fewer, larger writes than fs's 16 KiB default. */
const WRITE_HIGH_WATER_MARK = 1024 * 1024;

export class UploadStore extends FileStore {
  /**
   * HASHING: the running SHA-256 of uploads this node wrote from their first byte on, by
   * id. Valid only while the file holds exactly the bytes hashed: a write that fails may
   * have left some bytes unhashed, so it drops its entry; a write by another node moves
   * the file's offset past `offset`, so the entry no longer matches and is dropped.
   */
  private readonly hashing = new Map<string, Hashing>();

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

  override async getUpload(id: string): Promise<Upload> {
    try {
      return await super.getUpload(id);
    } catch (error) {
      if (error !== ERRORS.FILE_NOT_FOUND && error !== ERRORS.FILE_NO_LONGER_EXISTS) throw error;
      const row = await this.hooks.finished(id);
      if (row?.status !== 'complete') throw error;
      return new Upload({ id, size: row.size, offset: row.size, metadata: { filename: row.fileName, sha256: row.sha256 } });
    }
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const path = this.path(id);
    let running = this.hashing.get(id);
    this.hashing.delete(id);
    if (running?.offset !== offset) running = offset === 0 ? { hash: createHash('sha256'), offset: 0 } : undefined;
    let written = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        running?.hash.update(chunk);
        written += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(readable, count, createWriteStream(path, { flags: 'r+', start: offset, highWaterMark: WRITE_HIGH_WATER_MARK }));
    } catch {
      // Complete (moved into the blob store): a repeated last PATCH of 0 bytes is fine.
      if ((await this.hooks.finished(id))?.status === 'complete') {
        readable.resume();
        return offset;
      }
      throw ERRORS.FILE_WRITE_ERROR;
    } finally {
      await this.hooks.progressed(id);
    }
    if (running) {
      running.offset = offset + written;
      this.hashing.set(id, running);
      if (this.hashing.size > MAX_HASHING) this.hashing.delete(this.hashing.keys().next().value!);
    }
    return offset + written;
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
    const [sha256] = await Promise.all([hash(), sync()]);
    return sha256;
  }

  /** Removes an upload's bytes and tus record; nothing if they are already gone. */
  async discard(id: string): Promise<void> {
    const path = this.path(id);
    this.hashing.delete(id);
    await rm(path, { force: true });
    await rm(`${path}.json`, { force: true });
  }
}
