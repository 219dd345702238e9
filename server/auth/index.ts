// server/auth: the handlers of the `auth.*` routes declared in common/dms/auth.ts: login
// with password and TOTP, refresh-token rotation, activation by e-mailed code, authenticator
// enrolment, and the devices of an instansi.
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';
import { accountHandlers } from './accounts';
import { activationFlow } from './activation';
import { authContext, type AuthContext } from './context';
import { listDevices, revokeDevice } from './devices';
import { loginFlow } from './login';

type Own = { [K in keyof Handlers as K extends `auth.${string}` | `users.${string}` ? K : never]: Handlers[K] };

const HOUR_MS = 60 * 60_000;

/**
 * Removes what can no longer be used: expired refresh tokens (and logins left with none),
 * expired codes, counters of unknown NIPs idle for a day. At most hourly per node.
 */
function housekeeping(ctx: AuthContext): () => Promise<void> {
  let last = 0;
  return async () => {
    const now = ctx.now();
    if (now - last < HOUR_MS) return;
    last = now;
    const iso = new Date(now).toISOString();
    await ctx.db.query('delete from refresh_tokens where expires_at < $1', [iso]);
    await ctx.db.query(
      'delete from refresh_families f where f.created_at < $1 and not exists (select 1 from refresh_tokens t where t.family_id = f.id)',
      [new Date(now - HOUR_MS).toISOString()],
    );
    await ctx.db.query('delete from reset_codes where expires_at < $1', [iso]);
    await ctx.db.query('delete from login_throttle where updated_at < $1 and (locked_until is null or locked_until < $2)', [new Date(now - 24 * HOUR_MS).toISOString(), iso]);
  };
}

export function authHandlers(deps: ServerDeps): Own {
  const ctx = authContext(deps);
  const login = loginFlow(ctx);
  const activation = activationFlow(ctx);
  const tidy = housekeeping(ctx);
  return {
    'auth.login': async ({ body }) => {
      await tidy();
      return login.begin(body);
    },
    'auth.completeLogin': ({ body }) => login.complete(body),
    'auth.refresh': ({ body }) => ctx.sessions.refresh(ctx.db, body.refreshToken),
    'auth.logout': async ({ body, reply }) => {
      await ctx.sessions.logout(ctx.db, body.refreshToken);
      return reply.code(204).send();
    },
    'auth.requestReset': async ({ body }) => {
      await activation.request(body);
      return { accepted: true as const };
    },
    'auth.confirmReset': ({ body }) => activation.confirm(body),
    'auth.enrolMfa': ({ body }) => activation.enrol(body.stepToken),
    'auth.activateMfa': ({ body }) => activation.activate(body.stepToken, body.code),
    'auth.listDevices': async ({ principal }) => ({ devices: await listDevices(ctx.db, principal.instansiId) }),
    'auth.revokeDevice': ({ principal, params }) => revokeDevice(ctx.db, params.id, new Date(ctx.now()).toISOString(), principal.instansiId),
    ...accountHandlers(ctx),
  };
}
