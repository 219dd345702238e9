import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { newRecoveryCode, normalizeRecoveryCode } from './recovery';
import { checkTotp, fromBase32, otpauthUri, timeStepAt, toBase32, totpCode } from './totp';

// RFC 6238 appendix B, SHA-1 column: the seed is the ASCII string "12345678901234567890".
const RFC_SEED = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP core', () => {
  it.each(RFC_VECTORS)('yields the RFC 6238 SHA-1 vector at T=%i', (seconds, expected) => {
    expect(totpCode(RFC_SEED, at(seconds), 8)).toBe(expected);
    // The product's 6-digit code is the same HOTP value mod 10^6: the vector's last six digits.
    expect(totpCode(RFC_SEED, at(seconds))).toBe(expected.slice(-6));
  });

  it('accepts the current step and one step of drift either side, not two', () => {
    const secret = randomBytes(20);
    const now = at(1_795_485_615);
    const step = timeStepAt(now);
    for (const offset of [-30, 0, 30]) {
      expect(checkTotp(secret, totpCode(secret, at(1_795_485_615 + offset)), now, null)).toEqual({ ok: true, step: step + offset / 30 });
    }
    for (const offset of [-60, 60, 90]) {
      expect(checkTotp(secret, totpCode(secret, at(1_795_485_615 + offset)), now, null)).toEqual({ ok: false, reason: 'wrong' });
    }
  });

  it('refuses a code whose step is not after the last accepted one, as replayed', () => {
    const secret = randomBytes(20);
    const now = at(1_795_485_615);
    const step = timeStepAt(now);
    const code = totpCode(secret, now);
    expect(checkTotp(secret, code, now, step - 1)).toEqual({ ok: true, step });
    expect(checkTotp(secret, code, now, step)).toEqual({ ok: false, reason: 'replayed' });
    // The previous step's code, still inside the drift window, is older than the last use too.
    expect(checkTotp(secret, totpCode(secret, at(1_795_485_585)), now, step)).toEqual({ ok: false, reason: 'replayed' });
    expect(checkTotp(secret, totpCode(secret, at(1_795_485_645)), now, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('takes codes typed with a space and refuses what cannot be a code', () => {
    const secret = randomBytes(20);
    const now = at(1_795_485_615);
    const code = totpCode(secret, now);
    expect(checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null).ok).toBe(true);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345６']) {
      expect(checkTotp(secret, bad, now, null)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('builds the otpauth URI authenticator apps scan', () => {
    const secret = toBase32(Buffer.from('12345678901234567890'));
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect([...fromBase32(secret.toLowerCase())]).toEqual([...Buffer.from('12345678901234567890')]);
    const parsed = new URL(otpauthUri(secret, '199001012015011001'));
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.host).toBe('totp');
    expect(decodeURIComponent(parsed.pathname)).toBe('/Lemari:199001012015011001');
    expect(parsed.searchParams.get('secret')).toBe(secret);
    expect(parsed.searchParams.get('issuer')).toBe('Lemari');
    for (const [key, value] of [['algorithm', 'SHA1'], ['digits', '6'], ['period', '30']]) {
      const given = parsed.searchParams.get(key);
      if (given !== null) expect(given).toBe(value); // apps assume these when absent
    }
  });
});

describe('recovery codes', () => {
  it('are 16 letters of an unambiguous alphabet in groups of four, all different', () => {
    const codes = Array.from({ length: 50 }, () => newRecoveryCode(randomBytes));
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are read however they are typed, and refuse look-alike letters', () => {
    const code = newRecoveryCode(randomBytes);
    expect(normalizeRecoveryCode(code.toLowerCase().replaceAll('-', ' '))).toBe(code.replaceAll('-', ''));
    expect(normalizeRecoveryCode('0000-1111-OOOO-IIII')).toBeNull();
  });
});
