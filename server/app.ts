// The server's composition root: opens the database (migrating it) and the blob store,
// builds Fastify with the API's error model, and registers every route from common/dms.
// `startServer` is what `lemari-server` and the tests call; `close` drains in-flight
// requests (uploads included) before the database closes.
import Fastify, { type FastifyInstance } from 'fastify';
import { dmsRoutes } from '../common/dms';
import { auditHandlers } from './audit';
import { authHandlers } from './auth';
import { checkServerKey, loadServerKey, SecretSealer } from './auth/sealing';
import { authenticate, loadSigningKey, TokenSigner } from './auth/tokens';
import { openBlobStore } from './blobs/open';
import type { ServerConfig } from './config';
import type { ServerDeps } from './deps';
import { documentHandlers } from './documents';
import { registerDocumentSend } from './documents/send';
import { registerDocumentSendBatch } from './documents/send-batch';
import { openDb, type Db } from './db';
import { migrate } from './db/migrate';
import { DmsError, fromFastifyError } from './http/errors';
import { registerRateLimit, rateLimiter } from './http/rate-limit';
import { registerRoutes, type Handlers } from './http/routes';
import { openMailer } from './mail';
import { opsHandlers, registerOps, type Lifecycle } from './ops';
import { loggerOptions, requestId } from './ops/logging';
import { createMetrics } from './ops/metrics';
import { referenceHandlers } from './reference';
import { registerUploads, uploadHandlers } from './uploads';

export interface RunningServer {
  app: FastifyInstance;
  deps: ServerDeps;
  /** http://host:port once listening. */
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** An open database to use instead of opening one from the config (tests). */
  db?: Db;
  now?: () => number;
  /** Pino logger options, or false for silence (tests). */
  logger?: boolean | object;
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export async function buildServer(config: ServerConfig, options: ServerOptions = {}): Promise<{ app: FastifyInstance; deps: ServerDeps; lifecycle: Lifecycle; closeAll(): Promise<void> }> {
  const app = Fastify({
    // Redacted JSON lines (server/ops/logging.ts); a test passes its own level and stream.
    logger: options.logger === false ? false : { ...loggerOptions(config.logLevel), ...(typeof options.logger === 'object' ? options.logger : {}) },
    genReqId: requestId,
    bodyLimit: config.bodyLimit,
    // A hop count becomes proxy-addr's trust function: the N hops nearest this node are proxies.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Unknown routes and methods answer in the API's error shape (setNotFoundHandler), and
    // so do requests arriving while the node drains (server/ops), not Fastify's own 503.
    return503OnClosing: false,
    forceCloseConnections: false,
  });
  const db = options.db ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pg` }));
  await migrate(db);
  const sealer = new SecretSealer(await loadServerKey(config.secretKeyFile));
  await checkServerKey(db, sealer, config.secretKeyFile);
  const now = options.now ?? Date.now;
  const deps: ServerDeps = {
    config,
    db,
    blobs: await openBlobStore(config.blobs),
    signer: new TokenSigner(await loadSigningKey(db, sealer), now),
    sealer,
    now,
    log: app.log,
    mailer: openMailer(config.mail, app.log),
    metrics: createMetrics(),
  };
  const lifecycle: Lifecycle = { accepting: true };

  app.setErrorHandler((error, request, reply) => {
    const known = error instanceof DmsError ? error : fromFastifyError(error as Parameters<typeof fromFastifyError>[0]);
    if (known) {
      if (known.headers) reply.headers(known.headers);
      return reply.code(known.status).send(known.body());
    }
    request.log.error({ err: error }, 'unhandled error');
    const internal = new DmsError('internal', 'Internal server error.');
    return reply.code(500).send(internal.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new DmsError('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
    return reply.code(404).send(error.body());
  });

  registerOps(app, deps, lifecycle);
  // Before the routes, so it runs for each of them.
  registerRateLimit(app, rateLimiter(db, config.rateLimit, now), config.rateLimit, (route) => route.startsWith('auth.'));
  const handlers = {
    ...opsHandlers(deps, lifecycle),
    ...authHandlers(deps),
    ...uploadHandlers(deps),
    ...documentHandlers(deps),
    ...referenceHandlers(deps),
    ...auditHandlers(deps),
  } satisfies Handlers;
  registerRoutes(app, dmsRoutes, handlers, (request) => authenticate(db, deps.signer, request.headers.authorization));
  const uploads = await registerUploads(app, deps);
  // Issue 5 (speed): documents.send, a small document with its bytes in one request (raw body, outside the route table).
  await registerDocumentSend(app, deps);
  // The same for up to 32 small documents in one request, sharing its authentication, statements and disk flushes.
  await registerDocumentSendBatch(app, deps);

  const closeAll = async () => {
    lifecycle.accepting = false;
    await app.close(); // stops accepting, waits for in-flight requests
    await uploads.close();
    await deps.mailer.close();
    if (!options.db) await db.close();
  };
  return { app, deps, lifecycle, closeAll };
}

export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const { app, deps, closeAll } = await buildServer(config, options);
  const address = await app.listen({ host: config.host, port: config.port });
  return { app, deps, url: address.replace('[::1]', '127.0.0.1'), close: closeAll };
}
