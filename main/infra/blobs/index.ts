// Content-addressed blob store: <dir>/<first two hex>/<sha256>. A blob is written to a
// temp file, fsynced, renamed into place and the directory fsynced, so a crash never
// leaves a half-written file under a real name.

import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BlobStore {
  /** Stores bytes; returns their sha256. Idempotent for bytes already present. */
  put(bytes: Uint8Array): Promise<string>;
  has(sha256: string): Promise<boolean>;
  read(sha256: string): Promise<Buffer>;
  stream(sha256: string, range?: { start: number; end: number }): ReadStream;
  size(sha256: string): Promise<number>;
  /** Recomputes a blob's hash from disk; null if the blob is missing. */
  hashOnDisk(sha256: string): Promise<string | null>;
  list(): AsyncIterable<string>;
}

const SHA = /^[a-f0-9]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly dir: string) {
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

  async put(bytes: Uint8Array): Promise<string> {
    const sha = sha256Hex(bytes);
    const target = this.pathOf(sha);
    if (await this.has(sha)) return sha;
    const temp = join(this.tmpDir, `${sha}.${randomBytes(6).toString('hex')}`);
    const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const shard = join(this.dir, sha.slice(0, 2));
    await mkdir(shard, { recursive: true });
    await rename(temp, target);
    await syncDir(shard);
    return sha;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  stream(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(sha256), range);
  }

  async size(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }

  async hashOnDisk(sha256: string): Promise<string | null> {
    if (!(await this.has(sha256))) return null;
    const hash = createHash('sha256');
    for await (const chunk of this.stream(sha256)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  async *list(): AsyncIterable<string> {
    for (const shard of await readdir(this.dir)) {
      if (!/^[a-f0-9]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.dir, shard))) if (SHA.test(name)) yield name;
    }
  }
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
