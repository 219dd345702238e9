// Chooses the blob store from the configuration: a directory by default, S3-compatible
// object storage when S3_BUCKET is set (its bucket is checked at start, so a wrong
// endpoint or key stops the node at once rather than failing the first upload). The S3
// SDK is loaded only then: it is large, and a node on a directory has no use for it.
import type { ServerConfig } from '../config';
import { DirectoryBlobStore } from './directory';
import type { BlobStore } from './index';

export async function openBlobStore(config: ServerConfig['blobs']): Promise<BlobStore> {
  if (config.kind === 'directory') return new DirectoryBlobStore(config.dir);
  const { S3BlobStore } = await import('./s3');
  const store = new S3BlobStore(config);
  await store.check();
  return store;
}
