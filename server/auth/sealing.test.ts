// Sealed secrets: what is sealed opens only under the same key and for the same purpose,
// a changed byte is caught, and the server key file is made once (0600) and then reused.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServerKey, SealedSecretError, sealPurpose, SecretSealer } from './sealing';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-sealing-'));
  dirs.push(dir);
  return dir;
};

describe('SecretSealer', () => {
  const sealer = new SecretSealer(randomBytes(32));
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const purpose = sealPurpose.totp('198503152010012003');

  it('opens what it sealed, and the sealed text does not hold the secret', () => {
    const sealed = sealer.seal(purpose, secret);
    expect(SecretSealer.isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealer.open(purpose, sealed)).toBe(secret);
    // A fresh nonce each time: the same secret sealed twice reads differently.
    expect(sealer.seal(purpose, secret)).not.toBe(sealed);
  });

  it('refuses another purpose, another key, a changed byte and a plain value', () => {
    const sealed = sealer.seal(purpose, secret);
    expect(() => sealer.open(sealPurpose.totp('199001012015031001'), sealed)).toThrow(SealedSecretError);
    expect(() => new SecretSealer(randomBytes(32)).open(purpose, sealed)).toThrow(/does not open with this server's key/);
    const raw = Buffer.from(sealed.slice(5), 'base64url');
    raw[20] ^= 1;
    expect(() => sealer.open(purpose, `lmk1:${raw.toString('base64url')}`)).toThrow(SealedSecretError);
    expect(() => sealer.open(purpose, secret)).toThrow(/not sealed/);
    expect(() => new SecretSealer(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('loadServerKey', () => {
  it('makes the key file once, readable by its owner only, and reads the same key after', async () => {
    const file = join(tempDir(), 'nested', 'secret.key');
    const key = await loadServerKey(file);
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await loadServerKey(file)).equals(key)).toBe(true);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(key)).toBe(true);
  });

  it('refuses a key file that does not hold 32 bytes', async () => {
    const file = join(tempDir(), 'secret.key');
    writeFileSync(file, 'rahasia\n');
    await expect(loadServerKey(file)).rejects.toThrow(/must hold 32 random bytes/);
  });
});
