// Chooses the blob store from the configuration.
import type { ServerConfig } from '../config';
import { DirectoryBlobStore } from './directory';
import type { BlobStore } from './index';

export async function openBlobStore(config: ServerConfig['blobs']): Promise<BlobStore> {
  if (config.kind === 'directory') return new DirectoryBlobStore(config.dir);
  throw new Error('S3 blob storage is not built yet');
}
