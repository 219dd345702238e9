// The central server's accounts of the admin's instansi, kept from the workstation: list
// them, make one for a clerk or a verifier (the server e-mails the activation code to its
// holder; the admin never sees it), change a role, disable or enable an account. Calls go
// with the signed-in admin's own server session (what online activation sealed), so the
// server decides what this admin may do; its refusals come back as messages the admin can
// act on, in the admin's language. Every call, done or refused, is in the local audit log.
import type { Account } from '../../../common/dms/users';
import { AppError } from '../../../common/errors';
import { DmsCallError } from '../../infra/dms';
import type { AuditLog } from '../audit';
import type { Actor, Translate } from '../ports';
import type { AuthedCall } from '../sync/downsync';

export type ServerRole = Account['role'];

export interface AccountChange {
  role?: ServerRole;
  status?: 'active' | 'disabled';
}

export interface ServerAccountsDeps {
  translate: Translate;
  audit: AuditLog;
  /** Whether the account has a sealed server session on this workstation. */
  hasSession(userId: number): boolean;
  /** The server calls of that session (token refreshed when due); throws an AppError without a server address. */
  connect(userId: number, signal?: AbortSignal): AuthedCall;
  /** The server's address, for messages. */
  serverUrl(): string | null;
}

type Call = 'list' | 'create' | 'update';

export function createServerAccounts(deps: ServerAccountsDeps) {
  const { translate } = deps;

  /** A server refusal as the admin's message; anything else (a local fault) goes on as it is. */
  function failure(error: unknown, call: Call, actor: Actor, nip: string | null): unknown {
    if (error instanceof AppError) return error;
    if (!(error instanceof DmsCallError)) return error;
    const server = deps.serverUrl() ?? '';
    switch (error.code) {
      case 'network':
      case 'timeout':
        return new AppError('io', translate('server_accounts.offline', { server }));
      // A refresh token the server no longer honours (revoked device, disabled account, expired): the cure is the same as having none.
      case 'session_revoked':
      case 'unauthenticated':
      case 'token_expired':
        return new AppError('unauthenticated', translate('server_accounts.no_session'));
      case 'conflict':
        return new AppError('conflict', translate('server_accounts.nip_taken', { nip: nip ?? '' }));
      case 'forbidden':
        // The server refuses an admin's own account, and every account call of a non-admin, both as forbidden.
        return new AppError('forbidden', translate(call === 'update' && nip === actor.id ? 'server_accounts.own_account' : 'server_accounts.not_admin'));
      case 'not_found':
        return new AppError('not_found', translate('server_accounts.not_found', { nip: nip ?? '' }));
      default:
        if (error.retryable) return new AppError('io', translate('server_accounts.server_error', { server }));
        return new AppError('invalid_input', translate('server_accounts.refused', { message: error.message }));
    }
  }

  async function withServer<T>(actor: Actor, call: Call, nip: string | null, run: (server: AuthedCall) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      if (actor.userId === undefined || !deps.hasSession(actor.userId)) throw new AppError('unauthenticated', translate('server_accounts.no_session'));
      return await run(deps.connect(actor.userId, signal));
    } catch (error) {
      const mapped = failure(error, call, actor, nip);
      const code = mapped instanceof AppError ? mapped.code : 'internal';
      deps.audit.append({ actor: actor.id, action: 'server_accounts.refused', nip, detail: { call, code, ...(error instanceof DmsCallError ? { server: error.code } : {}) } });
      throw mapped;
    }
  }

  return {
    async list(actor: Actor, signal?: AbortSignal): Promise<Account[]> {
      const { users } = await withServer(actor, 'list', null, (server) => server('users.list', {}), signal);
      deps.audit.append({ actor: actor.id, action: 'server_accounts.listed', detail: { count: users.length } });
      return users;
    },

    async create(actor: Actor, input: { nip: string; name: string; email: string; role: ServerRole }, signal?: AbortSignal): Promise<{ account: Account; activationCodeExpiresAt: string }> {
      const made = await withServer(actor, 'create', input.nip, (server) => server('users.create', { body: input }), signal);
      // The e-mail is the holder's, where the code went: the log says where, never what.
      deps.audit.append({ actor: actor.id, action: 'server_accounts.created', nip: made.user.nip, detail: { role: made.user.role, email: made.user.email, codeExpiresAt: made.activationCodeExpiresAt } });
      return { account: made.user, activationCodeExpiresAt: made.activationCodeExpiresAt };
    },

    async update(actor: Actor, nip: string, change: AccountChange, signal?: AbortSignal): Promise<Account> {
      const { user } = await withServer(actor, 'update', nip, (server) => server('users.update', { params: { nip }, body: change }), signal);
      deps.audit.append({ actor: actor.id, action: 'server_accounts.updated', nip, detail: { ...change, nowStatus: user.status } });
      return user;
    },
  };
}

export type ServerAccounts = ReturnType<typeof createServerAccounts>;
