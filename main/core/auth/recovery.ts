// Recovery codes on the workstation (the codes themselves are common/auth's): stored as
// SHA-256 over a per-code random salt and the code. A slow hash would add nothing here:
// argon2 protects low-entropy secrets people choose, while guessing 2^80 codes is out of
// reach at any hashing speed; the salt stops precomputed tables and keeps equal codes
// from having equal hashes.

import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizeRecoveryCode } from '../../../common/auth/recovery';

export { newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from '../../../common/auth/recovery';

export const RECOVERY_SALT_BYTES = 16;

export function hashRecoveryCode(code: string, salt: Buffer): Buffer {
  const normalized = normalizeRecoveryCode(code) ?? code;
  return createHash('sha256').update(salt).update(normalized, 'utf8').digest();
}

export function recoveryCodeMatches(code: string, salt: Buffer, stored: Buffer): boolean {
  const candidate = hashRecoveryCode(code, salt);
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}
