// server/uploads: the handlers of the `uploads.*` routes declared in common/dms/uploads.ts.
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';

type Own = { [K in keyof Handlers as K extends `uploads.${string}` ? K : never]: Handlers[K] };

export function uploadHandlers(_deps: ServerDeps): Own {
  return {};
}

/** Mounts the tus protocol at /v1/uploads (outside the JSON route table). */
export async function registerUploads(_app: import('fastify').FastifyInstance, _deps: ServerDeps): Promise<{ close(): Promise<void> }> {
  return { close: async () => {} };
}
