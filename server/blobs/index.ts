// The server's blob store port: document bytes, content addressed. A directory by default
// (shared by nodes through a common mount), S3-compatible object storage by configuration.
import type { Readable } from 'node:stream';

export interface BlobStat {
  size: number;
}

export interface BlobStore {
  readonly kind: 'directory' | 's3';
  stat(key: string): Promise<BlobStat | null>;
  /** The bytes of `key`, or of the inclusive byte range [start, end]. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  /** Stores a stream under key; readers never see a partial object. */
  write(key: string, body: Readable): Promise<BlobStat>;
  remove(key: string): Promise<void>;
}

/** The blob key of a document's bytes. */
export function blobKey(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}
