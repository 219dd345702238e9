// The one place that maps the contract to core services. Every shell (Electron IPC, the
// browser host, the CLI) calls `api.call`, so input validation, error mapping and (in a
// later issue) role checks behave the same everywhere.

import { contract, isMethodName, type Contract, type MethodName, type MethodOutput } from '../common/contract';
import { AppError, fail, ok, type Result } from '../common/errors';
import type { z } from 'zod';
import type { Actor, Translate } from './core/ports';

export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;

export interface CallContext {
  actor: Actor;
  /** Progress and events of this call are tagged with it (e.g. an import batch). */
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

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
    .join('; ');
}

export function createApi(handlers: Handlers, translate: Translate, logger: Logger): Api {
  return {
    async call(method, rawInput, context) {
      if (!isMethodName(method)) return fail('not_found', translate('error.unknown_method', { method }));
      const spec = contract[method];
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
