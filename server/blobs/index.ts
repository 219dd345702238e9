// The server's blob store port: document bytes, content addressed. A directory by default
// (shared by nodes through a common mount), S3-compatible object storage by configuration.
import type { Readable } from 'node:stream';

export interface BlobStat {
  size: number;
}

/** What the caller already knows about bytes it stores: lets the store check them again. */
export interface BlobFacts {
  size: number;
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string;
}

export interface BlobStore {
  readonly kind: 'directory' | 's3';
  stat(key: string): Promise<BlobStat | null>;
  /**
   * The bytes of `key`, or of the inclusive byte range [start, end]. Rejects with an error
   * whose `code` is `ENOENT` when there is no such blob, before any byte is streamed.
   */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  /** Stores a stream under key; readers never see a partial object. */
  write(key: string, body: Readable, facts?: BlobFacts): Promise<BlobStat>;
  /**
   * Stores a local file that is complete and verified (a finished upload) under key. The
   * directory store links it into place when it can (no copy: a 1 GB upload is not written
   * twice); the file itself is left for the caller to remove.
   */
  putFile(key: string, path: string, facts: BlobFacts): Promise<BlobStat>;
  /**
   * putFile for a file the caller gives away (a private temp file): once it resolves, no file
   * is left at `path`. The directory store renames it into place (no link to undo, no unlink).
   * `synced`: the caller flushed the file to disk already (written with fsync before close),
   * so the store need not open it again to do so.
   */
  moveFile(key: string, path: string, facts: BlobFacts, options?: { synced?: boolean }): Promise<BlobStat>;
  remove(key: string): Promise<void>;
}

/** The blob key of a document's bytes. */
export function blobKey(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** The error `read` rejects with when a blob does not exist. */
export function blobNotFound(key: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`no blob ${key}`), { code: 'ENOENT' });
}
