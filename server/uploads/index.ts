// server/uploads: resumable uploads. The tus endpoint at /v1/uploads (tus.ts), the
// `uploads.*` JSON routes declared in common/dms/uploads.ts, the store of uploads in
// progress (store.ts), the cross-node locks (locks.ts), and verification, blob storage and
// expiry (service.ts).
//
// Uploads in progress live in config.uploadDir, a directory every node reaches, whatever
// the blob store; only verified bytes go to the blob store (a directory or S3). Not
// @tus/s3-store, because the server hashes every stored byte before an upload counts:
// with the parts in S3 that means downloading each finished upload back, and then
// copying it to its content-addressed key; S3 multipart also wants parts of 5 MiB or
// more, which @tus/s3-store buffers on local disk anyway, and leaves incomplete uploads to
// clean up in the bucket. The price is a shared upload directory (an NFS mount, say)
// beside the bucket when nodes are to resume each other's uploads, which a deployment
// with several nodes has to provide.
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';
import { UploadLocker } from './locks';
import { UploadService } from './service';
import { UploadStore } from './store';
import { mountTus } from './tus';

type Own = { [K in keyof Handlers as K extends `uploads.${string}` ? K : never]: Handlers[K] };

declare module 'fastify' {
  interface FastifyInstance {
    /** The node's upload service: `expire()` on demand (tests, an operator's script). */
    uploads: UploadService;
  }
}

/** How often each node sweeps for abandoned uploads (at most; shorter when expiry is short). */
const SWEEP_EVERY_MS = 10 * 60_000;

/** A node's upload service, from its Fastify instance. */
export function uploadsOf(app: FastifyInstance): UploadService {
  return app.uploads;
}

export function uploadHandlers(_deps: ServerDeps): Own {
  return {
    'uploads.get': async ({ request, principal, params }) => uploadsOf(request.server).status(principal, params.id),
  };
}

/** Mounts the tus protocol at /v1/uploads (outside the JSON route table). */
export async function registerUploads(app: FastifyInstance, deps: ServerDeps): Promise<{ close(): Promise<void> }> {
  const locker = new UploadLocker({ databaseUrl: deps.db.kind === 'postgres' ? deps.config.databaseUrl : undefined, log: deps.log });
  await locker.start();
  const store = new UploadStore(deps.config.uploadDir, {
    progressed: (id) => service.progressed(id),
    row: async (id) => {
      const row = await service.row(id);
      return row && { status: row.status, size: row.size, fileName: row.file_name, sha256: row.declared_sha256, createdAt: row.created_at };
    },
  });
  const service: UploadService = new UploadService(deps, store, locker);
  app.decorate('uploads', service);
  await mountTus(app, deps, service);

  let sweeping: Promise<unknown> = Promise.resolve();
  const everyMs = Math.min(SWEEP_EVERY_MS, Math.max(60_000, (deps.config.uploadExpiryHours * 3_600_000) / 4));
  const timer = setInterval(() => {
    sweeping = service.expire().catch((error: unknown) => deps.log.error({ err: error }, 'upload expiry sweep failed'));
  }, everyMs);
  timer.unref();

  return {
    async close() {
      clearInterval(timer);
      await sweeping;
      await locker.close();
    },
  };
}
