// server/auth: the handlers of the `auth.*` routes declared in common/dms/auth.ts.
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';

type Own = { [K in keyof Handlers as K extends `auth.${string}` ? K : never]: Handlers[K] };

export function authHandlers(_deps: ServerDeps): Own {
  return {};
}
