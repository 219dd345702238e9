// Where tus keeps uploads in progress: @tus/file-store in the upload directory (a folder
// every node reaches), with two changes. Each write records progress in the uploads
// table, which is what expiry looks at. And an upload that is already complete (its bytes
// moved into the blob store) still answers HEAD with its full offset, from its row: a
// client whose last PATCH lost its answer learns that it is done instead of starting over.
//
// The SHA-256 is taken from the stored file once the last byte is in, not from the bytes
// in flight: an upload may arrive in pieces through several nodes and broken PATCHes,
// and what counts is what the disk holds. The file is read back while it is fsynced
// (which the blob store needs anyway); its pages are still in the cache, so the hash runs
// beside the disk's flush. (Hashing on the fly, on a worker thread, was measured too: no
// faster on 2 cores, where the hash competes with receiving for the same CPU, and a pool
// of batch buffers more per node. See bench/server-upload.ts.)
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { ERRORS, Upload } from '@tus/server';

export interface UploadStoreHooks {
  /** Bytes arrived for an upload (or an attempt ended): record progress. */
  progressed(id: string): Promise<void>;
  /** The row of an upload whose bytes are no longer in the upload directory. */
  finished(id: string): Promise<{ status: string; size: number; fileName: string; sha256: string } | null>;
}

export class UploadStore extends FileStore {
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
    try {
      return await super.write(readable, id, offset);
    } catch (error) {
      // Complete (moved into the blob store): a repeated last PATCH of 0 bytes is fine.
      if ((await this.hooks.finished(id))?.status === 'complete') {
        readable.resume();
        return offset;
      }
      throw error;
    } finally {
      await this.hooks.progressed(id);
    }
  }

  /** SHA-256 of the stored bytes, read back while the file is flushed to disk. */
  async hashAndSync(id: string): Promise<string> {
    const path = this.path(id);
    const sync = async () => {
      const handle = await open(path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    };
    const hash = async () => {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
      return hash.digest('hex');
    };
    const [sha256] = await Promise.all([hash(), sync()]);
    return sha256;
  }

  /** Removes an upload's bytes and tus record; nothing if they are already gone. */
  async discard(id: string): Promise<void> {
    const path = this.path(id);
    await rm(path, { force: true });
    await rm(`${path}.json`, { force: true });
  }
}
