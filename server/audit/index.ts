// server/audit: the handlers of the `audit.*` routes declared in common/dms/audit.ts.
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';

type Own = { [K in keyof Handlers as K extends `audit.${string}` ? K : never]: Handlers[K] };

export function auditHandlers(_deps: ServerDeps): Own {
  return {};
}
