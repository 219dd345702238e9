// TOTP as RFC 6238 defines it for authenticator apps (SHA-1, 6 digits, 30-second steps),
// through otplib (pure JavaScript): codes, verification with one step of drift either side
// and refusal of a step already used, and the otpauth:// URI. Shared by the workstation's
// offline login and the central server's, so one authenticator entry works for both.

import { ScureBase32Plugin, generateSync, generateURI, verifySync } from 'otplib';

export const TOTP_ISSUER = 'Lemari';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD = 30;
/** Steps of clock drift accepted either side of the current one (RFC 6238 §5.2 suggests at most one). */
export const TOTP_DRIFT_STEPS = 1;
/** 160-bit secrets, the HMAC-SHA-1 block size RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;

const base32Plugin = new ScureBase32Plugin();

export function toBase32(bytes: Uint8Array): string {
  return base32Plugin.encode(bytes, { padding: false });
}

export function fromBase32(text: string): Uint8Array {
  return base32Plugin.decode(text.replace(/[\s=]/g, '').toUpperCase());
}

function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

export function timeStepAt(at: Date): number {
  return Math.floor(epochSeconds(at) / TOTP_PERIOD);
}

/** The code an authenticator shows at `at` (digits 8 only for the RFC's own test vectors). */
export function totpCode(secret: Uint8Array, at: Date, digits: 6 | 8 = TOTP_DIGITS): string {
  return generateSync({ secret, epoch: epochSeconds(at), period: TOTP_PERIOD, digits, algorithm: 'sha1' });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

/** Codes as apps show them ("123 456") or as people paste them. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/**
 * Checks a code against the current step and one step either side. A code whose step is
 * not after `lastStep` (the user's last accepted step) is refused as replayed, so a code
 * seen over a shoulder or in a log cannot be used again, even within its window.
 */
export function checkTotp(secret: Uint8Array, input: string, at: Date, lastStep: number | null): TotpCheck {
  const token = normalizeCode(input);
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(token)) return { ok: false, reason: 'malformed' };
  const common = { secret, token, epoch: epochSeconds(at), period: TOTP_PERIOD, digits: TOTP_DIGITS, algorithm: 'sha1', epochTolerance: TOTP_PERIOD * TOTP_DRIFT_STEPS } as const;
  const fresh = verifySync(lastStep === null ? common : { ...common, afterTimeStep: lastStep });
  // The functional API types HOTP and TOTP results together; a TOTP match carries its step.
  if (fresh.valid && 'timeStep' in fresh) return { ok: true, step: fresh.timeStep };
  // Told apart only to say "wait for the next code" rather than "wrong code".
  if (lastStep !== null && verifySync(common).valid) return { ok: false, reason: 'replayed' };
  return { ok: false, reason: 'wrong' };
}

/** otpauth://totp/Lemari:<NIP>?secret=...&issuer=Lemari, what authenticator apps scan. */
export function otpauthUri(secretBase32: string, nip: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: nip, secret: secretBase32, algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_PERIOD });
}
