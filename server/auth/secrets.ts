// The secrets the server hands to clients (refresh tokens, e-mailed codes, recovery codes)
// and how they are kept: only as an HMAC-SHA256 under a key every node reads from the
// database, where it is sealed under the server key (sealing.ts). A leaked table then opens nothing, a short code cannot be guessed offline
// without the key as well, and finding a presented secret is one indexed lookup.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import type { SecretSealer } from './sealing';
import { loadSigningKey } from './tokens';

/** What a digest is for, so a secret of one kind never matches a stored secret of another. */
export type SecretPurpose = 'refresh' | 'reset' | 'recovery';

export interface SecretDigest {
  digest(purpose: SecretPurpose, secret: string): string;
  matches(purpose: SecretPurpose, secret: string, stored: string): boolean;
}

export async function loadSecretDigest(db: Db, sealer: SecretSealer): Promise<SecretDigest> {
  const key = await loadSigningKey(db, sealer, 'secret-digest');
  const digest = (purpose: SecretPurpose, secret: string) => createHmac('sha256', key).update(`${purpose}\0${secret}`).digest('base64url');
  return {
    digest,
    matches(purpose, secret, stored) {
      const given = Buffer.from(digest(purpose, secret));
      const expected = Buffer.from(stored);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/** 256 random bits, URL-safe: a refresh token. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export const RESET_CODE_DIGITS = 8;

/** An e-mailed code: 8 digits, each drawn uniformly, easy to type from a phone. */
export function newResetCode(): string {
  return Array.from({ length: RESET_CODE_DIGITS }, () => randomInt(10)).join('');
}

/** Digits only, as people copy them ("1234 5678", "1234-5678"). */
export function normalizeResetCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** "1234 5678": how a code is shown in a mail or by the CLI. */
export function formatResetCode(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4)}`;
}
