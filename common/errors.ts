// Errors as values. Anything that crosses a process boundary (IPC, HTTP, CLI output)
// is a Result; a thrown AppError inside main is turned into one by main/api.ts.

export const ERROR_CODES = [
  'invalid_input', // input failed the contract's schema
  'not_found',
  'conflict',
  'forbidden',
  'unauthenticated',
  'unsupported',
  'io',
  'internal', // anything unexpected: logged in main, no stack reaches the caller
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorValue {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

/** An expected failure with a stable code and a message already fit for the user. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): { ok: false; error: ErrorValue } {
  return { ok: false, error: { code, message } };
}
