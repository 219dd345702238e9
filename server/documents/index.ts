// server/documents: the handlers of the `documents.*` routes declared in common/dms/documents.ts.
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';

type Own = { [K in keyof Handlers as K extends `documents.${string}` ? K : never]: Handlers[K] };

export function documentHandlers(_deps: ServerDeps): Own {
  return {};
}
