// Blob store in a directory (local disk, or a mount every node shares). A write goes to
// a temp file in the same directory, is fsynced, then renamed into place, so a reader (or
// a crash) never sees a partial object. A finished upload on the same file system is
// hard-linked into place instead of copied.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobFacts, BlobStat, BlobStore } from './index';

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Errors of link(2) that mean "this file system cannot link here": copy instead. */
const CANNOT_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK']);

export class DirectoryBlobStore implements BlobStore {
  readonly kind = 'directory';

  /** Shard folders known to exist: a blob's folder is made once, not asked for on every store. */
  private readonly folders = new Set<string>();

  constructor(private readonly root: string) {}

  /** Makes the folder `file` goes in, unless this node made (or found) it already. */
  private async folderOf(file: string): Promise<string> {
    const folder = dirname(file);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    return folder;
  }

  /** `step` (a link or rename into `file`'s folder), once more after making the folder should someone have removed it. */
  private async intoFolder(file: string, step: () => Promise<void>): Promise<string> {
    const folder = await this.folderOf(file);
    try {
      await step();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !this.folders.delete(folder)) throw error;
      await this.folderOf(file);
      await step();
    }
    return folder;
  }

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

  async putFile(key: string, path: string, facts: BlobFacts): Promise<BlobStat> {
    const file = this.path(key);
    await fsync(path); // the upload's bytes were written without fsync
    let folder: string;
    try {
      folder = await this.intoFolder(file, () => link(path, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      // Content addressed: a blob already under this key has these very bytes.
      if (code === 'EEXIST') return { size: (await stat(file)).size };
      if (CANNOT_LINK.has(code)) return this.write(key, createReadStream(path), facts);
      throw error;
    }
    await fsync(folder);
    return { size: facts.size };
  }

  async moveFile(key: string, path: string, facts: BlobFacts, options: { synced?: boolean } = {}): Promise<BlobStat> {
    const file = this.path(key);
    if (!options.synced) await fsync(path);
    let folder: string;
    try {
      // Content addressed: a blob already under this key has these very bytes, so replacing it changes nothing.
      folder = await this.intoFolder(file, () => rename(path, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const stored = await this.write(key, createReadStream(path), facts);
      await rm(path, { force: true });
      return stored;
    }
    await fsync(folder);
    return { size: facts.size };
  }

  async write(key: string, body: Readable, facts?: BlobFacts): Promise<BlobStat> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    const temp = join(dirname(file), `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      await fsync(temp);
      const size = (await stat(temp)).size;
      if (facts && facts.size !== size) throw new Error(`blob ${key}: ${size} bytes written, ${facts.size} expected`);
      await rename(temp, file);
      await fsync(dirname(file));
      return { size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
