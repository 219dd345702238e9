import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { hashRecoveryCode, newRecoveryCode, recoveryCodeMatches } from './recovery';
import { otpauthUri, qrSvg, toBase32 } from './totp';

// The TOTP and recovery-code rules themselves are tested in common/auth.
describe('enrolment QR code', () => {
  it('renders the otpauth URI as an SVG without script or links', async () => {
    const svg = await qrSvg(otpauthUri(toBase32(Buffer.from('12345678901234567890')), '199001012015011001'));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|href=/i);
  });
});

describe('stored recovery codes', () => {
  it('match however they are typed, and only with their own salt', () => {
    const code = newRecoveryCode(randomBytes);
    const salt = randomBytes(16);
    const stored = hashRecoveryCode(code, salt);
    expect(recoveryCodeMatches(code.toLowerCase().replaceAll('-', ' '), salt, stored)).toBe(true);
    expect(recoveryCodeMatches(code, randomBytes(16), stored)).toBe(false);
    expect(recoveryCodeMatches(newRecoveryCode(randomBytes), salt, stored)).toBe(false);
  });
});
