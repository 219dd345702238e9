// The one place that maps the contract to core services. Every shell (Electron IPC, the
// browser host, the CLI) calls `api.call` with the caller's Session, so access rules,
// input validation and error mapping behave the same everywhere.

import type { z } from 'zod';
import { contract, isMethodName, type Contract, type MethodName, type MethodOutput } from '../common/contract';
import { AppError, fail, ok, type Result } from '../common/errors';
import { applyIdleLock, authorize, refusalCode, type Session } from './access';
import type { Actor, Translate } from './core/ports';

export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;

export interface CallContext {
  /** The caller's session; login handlers change it, every call is checked against it. */
  session: Session;
  signal?: AbortSignal;
}

export type Handlers = {
  [M in MethodName]: (input: HandlerInput<M>, context: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

export interface Logger {
  error(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
}

export interface Api {
  call(method: string, input: unknown, context: CallContext): Promise<Result<unknown>>;
}

export interface ApiOptions {
  now: () => number;
  idleLockMinutes: () => number;
  /** Re-reads the session's user (role, disabled, password state); false ends the session. */
  refresh: (session: Session) => boolean;
}

/** Who the audit log names for a call: the logged-in user's NIP. */
export function actorOf(session: Session): Actor {
  return { id: session.user?.nip ?? 'anonim', userId: session.user?.id };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
    .join('; ');
}

export function createApi(handlers: Handlers, translate: Translate, logger: Logger, options: ApiOptions): Api {
  return {
    async call(method, rawInput, context) {
      if (!isMethodName(method)) return fail('not_found', translate('error.unknown_method', { method }));
      const spec = contract[method];
      const { session } = context;
      const now = options.now();
      applyIdleLock(session, now, options.idleLockMinutes());
      if (session.user && !options.refresh(session)) Object.assign(session, { user: null, mfa: false, mustChangePassword: false, locked: false });
      const refusal = authorize(spec.access, session);
      if (refusal) return fail(refusalCode(refusal), translate(`access.${refusal}`, { role: session.user ? translate(`role.${session.user.role}`) : '' }));
      if (session.user && !session.locked) session.lastActivity = now;

      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) return fail('invalid_input', translate('error.invalid_input', { detail: describeIssues(parsed.error) }));
      try {
        const handler = handlers[method] as (input: unknown, context: CallContext) => unknown;
        const value = await handler(parsed.data, context);
        const checked = spec.output.safeParse(value);
        if (!checked.success) {
          logger.error(`output of ${method} does not match the contract`, describeIssues(checked.error));
          return fail('internal', translate('error.internal'));
        }
        return ok(checked.data);
      } catch (error) {
        if (error instanceof AppError) return fail(error.code, error.message);
        logger.error(`${method} failed`, error);
        return fail('internal', translate('error.internal'));
      }
    },
  };
}
