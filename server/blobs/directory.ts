// Blob store in a directory (local disk, or a mount every node shares). A write goes to
// a temp file in the same directory, is fsynced, then renamed into place, so a reader (or
// a crash) never sees a partial object.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStat, BlobStore } from './index';

export class DirectoryBlobStore implements BlobStore {
  readonly kind = 'directory';

  constructor(private readonly root: string) {}

  private path(key: string): string {
    const file = resolve(this.root, key);
    if (!file.startsWith(resolve(this.root) + sep) || key.includes('\0')) throw new Error(`blob key escapes the store: ${key}`);
    return file;
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      return { size: (await stat(this.path(key))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const file = this.path(key);
    await stat(file); // ENOENT now, not as a stream error later
    return createReadStream(file, range);
  }

  async write(key: string, body: Readable): Promise<BlobStat> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    const temp = join(dirname(file), `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
      const dir = await open(dirname(file), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
      return { size: (await stat(file)).size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
