// What every feature of the server is built from. app.ts is the composition root: it
// makes the real adapters; tests build the same app on a temp directory or a test database.
import type { FastifyBaseLogger } from 'fastify';
import type { TokenSigner } from './auth/tokens';
import type { BlobStore } from './blobs';
import type { ServerConfig } from './config';
import type { Db } from './db';

export interface ServerDeps {
  config: ServerConfig;
  db: Db;
  blobs: BlobStore;
  signer: TokenSigner;
  /** Milliseconds since the epoch; a fake clock in tests of expiry and lockout. */
  now: () => number;
  log: FastifyBaseLogger;
}
