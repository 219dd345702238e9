// Error codes of the central DMS API (v1). Every 4xx and 5xx answer has the body
// `{ error: { code, message, details? } }` with one of these codes, so a workstation can
// act on the code (retry, re-login, mark a document rejected) without parsing messages.

export const DMS_ERROR_CODES = {
  invalid_json: 400, // the body is not JSON
  invalid_input: 400, // wrong types, missing or out-of-range fields, a bad NIP
  unknown_field: 400, // a field the schema does not declare
  invalid_file_name: 400, // path separators, control characters, empty
  unsupported_media_type: 415,
  unsupported_tus_version: 412, // a tus request without `Tus-Resumable: 1.0.0`
  payload_too_large: 413,
  range_not_satisfiable: 416, // a download's Range starts beyond the content; Content-Range gives its size
  unauthenticated: 401, // no token, a forged or malformed token
  token_expired: 401, // a well-formed token past its expiry: refresh and retry
  invalid_credentials: 401,
  invalid_code: 401, // a wrong, expired or already used TOTP or reset code
  session_revoked: 401, // refresh family or device revoked: log in again
  forbidden: 403, // authenticated, but not allowed (another instansi, a role)
  account_locked: 423,
  not_found: 404,
  conflict: 409,
  version_conflict: 409, // the expected version is stale; `details.current` has the current one
  upload_incomplete: 409,
  upload_gone: 410, // the upload expired or was rejected and its bytes are gone: upload again
  checksum_mismatch: 422, // the bytes received do not hash to the declared SHA-256
  audit_chain_broken: 422, // audit entries whose hashes do not chain; `details.id` is the first bad entry
  rate_limited: 429,
  unavailable: 503, // shutting down, or the database is not reachable
  internal: 500,
} as const;

export type DmsErrorCode = keyof typeof DMS_ERROR_CODES;

export interface DmsErrorBody {
  error: { code: DmsErrorCode; message: string; details?: Record<string, unknown> };
}

export function isDmsErrorCode(code: string): code is DmsErrorCode {
  return Object.hasOwn(DMS_ERROR_CODES, code);
}
