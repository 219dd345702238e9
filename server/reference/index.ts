// server/reference: the handlers of the `reference.*` routes declared in common/dms/reference.ts.
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';

type Own = { [K in keyof Handlers as K extends `reference.${string}` ? K : never]: Handlers[K] };

export function referenceHandlers(_deps: ServerDeps): Own {
  return {};
}
