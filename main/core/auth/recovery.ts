// Recovery codes: ten single-use codes shown once at enrolment, for a lost phone.
// Each is 16 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I):
// 80 random bits. Stored as SHA-256 over a per-code random salt and the code. A slow hash
// would add nothing here: argon2 protects low-entropy secrets people choose, while
// guessing 2^80 codes is out of reach at any hashing speed; the salt stops precomputed
// tables and keeps equal codes from having equal hashes.

import { createHash, timingSafeEqual } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 16;
const GROUP = 4;
export const RECOVERY_SALT_BYTES = 16;

export function newRecoveryCode(random: (n: number) => Buffer): string {
  // 256 is a multiple of 32, so byte & 31 picks every letter with the same chance.
  const letters = [...random(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
  return letters.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/** Upper case, without the dashes and spaces people type or omit; null if it cannot be a code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

export function hashRecoveryCode(code: string, salt: Buffer): Buffer {
  const normalized = normalizeRecoveryCode(code) ?? code;
  return createHash('sha256').update(salt).update(normalized, 'utf8').digest();
}

export function recoveryCodeMatches(code: string, salt: Buffer, stored: Buffer): boolean {
  const candidate = hashRecoveryCode(code, salt);
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}
