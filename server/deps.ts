// What every feature of the server is built from. app.ts is the composition root: it
// makes the real adapters; tests build the same app on a temp directory or a test database.
import type { FastifyBaseLogger } from 'fastify';
import type { SecretSealer } from './auth/sealing';
import type { TokenSigner } from './auth/tokens';
import type { BlobStore } from './blobs';
import type { ServerConfig } from './config';
import type { Db } from './db';
import type { Mailer } from './mail';
import type { Metrics } from './ops/metrics';

export interface ServerDeps {
  config: ServerConfig;
  db: Db;
  blobs: BlobStore;
  signer: TokenSigner;
  /** Seals the secrets the server reads back (TOTP secrets, server keys) under the key outside the database. */
  sealer: SecretSealer;
  /** Milliseconds since the epoch; a fake clock in tests of expiry and lockout. */
  now: () => number;
  log: FastifyBaseLogger;
  /** Outgoing mail: .eml files in the mail folder, or SMTP (server/mail). */
  mailer: Mailer;
  /** This server's Prometheus registry: add counters and gauges here (served at /metrics). */
  metrics: Metrics;
}
