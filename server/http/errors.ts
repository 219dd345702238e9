// Errors of the HTTP API as values with a stable code (common/dms/errors.ts). Handlers
// throw DmsError; the error handler in app.ts turns it, and Fastify's own errors, into
// `{ error: { code, message, details? } }` with the code's status.
import { DMS_ERROR_CODES, type DmsErrorBody, type DmsErrorCode } from '../../common/dms/errors';

export class DmsError extends Error {
  readonly status: number;
  constructor(
    readonly code: DmsErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers (Retry-After, ...). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DmsError';
    this.status = DMS_ERROR_CODES[code];
  }

  body(): DmsErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** Maps an error thrown inside Fastify (body parsing, limits) to the API's codes. */
export function fromFastifyError(error: { code?: string; statusCode?: number; message: string }): DmsError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DmsError('invalid_json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DmsError('payload_too_large', 'The request body is larger than this route accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DmsError('unsupported_media_type', 'This route accepts application/json only.');
  }
  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) return new DmsError('invalid_json', 'The request body is not valid JSON.');
  if (error.statusCode === 413) return new DmsError('payload_too_large', 'The request body is too large.');
  return null;
}
