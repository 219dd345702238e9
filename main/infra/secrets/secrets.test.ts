import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DATABASE_KEY_FILE,
  KeyFileSecretStore,
  OS_WRAPPED_KEY_FILE,
  PassphraseSecretStore,
  SafeStorageSecretStore,
  SecretStoreError,
  databaseKey,
  databaseKeyBytes,
  keysDir,
  passphraseSalt,
  type SafeStorageLike,
  type SecretStore,
} from './index';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-secrets-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const FAST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const posix = process.platform !== 'win32';

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretStoreError) return error.problem;
    throw error;
  }
  return 'no error';
}

/** Stands in for Electron's safeStorage: AES with a key only this "OS account" holds. */
function fakeSafeStorage(options: { available?: boolean; backend?: string; osKey?: Buffer } = {}): SafeStorageLike & { calls: number } {
  const osKey = options.osKey ?? randomBytes(32);
  return {
    calls: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: options.backend ? () => options.backend! : undefined,
    encryptString(plain) {
      this.calls++;
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', osKey, iv);
      return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-cbc', osKey, encrypted.subarray(0, 16));
      return Buffer.concat([decipher.update(encrypted.subarray(16)), decipher.final()]).toString('utf8');
    },
  };
}

function roundTrips(store: SecretStore): void {
  const plain = Buffer.from('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  const sealed = store.seal(plain, 'lemari:totp:1');
  expect(sealed.includes(plain)).toBe(false);
  expect(sealed[0]).toBe(1); // format version
  expect(store.open(sealed, 'lemari:totp:1')).toEqual(plain);
  // A fresh nonce each time: the same secret never seals to the same bytes.
  expect(store.seal(plain, 'lemari:totp:1').equals(sealed)).toBe(false);
  // Bound to its purpose: user 1's secret does not open as user 2's.
  expect(problemOf(() => store.open(sealed, 'lemari:totp:2'))).toBe('wrong_key');
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 20] ^= 1;
  expect(problemOf(() => store.open(tampered, 'lemari:totp:1'))).toBe('wrong_key');
}

describe('KeyFileSecretStore', () => {
  it('creates a 32-byte key file with mode 0600 once, and seals with it', () => {
    const dir = dataDir();
    const store = new KeyFileSecretStore(dir);
    expect(store.kind).toBe('keyfile');
    const stat = statSync(store.path);
    expect(stat.size).toBe(32);
    if (posix) {
      expect(stat.mode & 0o777).toBe(0o600);
      expect(statSync(keysDir(dir)).mode & 0o777).toBe(0o700);
    }
    roundTrips(store);
    const key = readFileSync(store.path);
    const again = new KeyFileSecretStore(dir);
    expect(readFileSync(again.path)).toEqual(key);
    expect(again.open(store.seal(Buffer.from('x')))).toEqual(Buffer.from('x'));
  });

  it('does not open what another profile key sealed', () => {
    const sealed = new KeyFileSecretStore(dataDir()).seal(Buffer.from('rahasia'));
    expect(problemOf(() => new KeyFileSecretStore(dataDir()).open(sealed))).toBe('wrong_key');
  });

  it.runIf(posix)('refuses a key file other users can read, saying how to fix it', () => {
    const dir = dataDir();
    const { path } = new KeyFileSecretStore(dir);
    chmodSync(path, 0o644);
    expect(() => new KeyFileSecretStore(dir)).toThrow(/readable by other users \(mode 0644\); run: chmod 600/);
    expect(problemOf(() => new KeyFileSecretStore(dir))).toBe('key_file_permissions');
    chmodSync(path, 0o640);
    expect(problemOf(() => new KeyFileSecretStore(dir))).toBe('key_file_permissions');
    chmodSync(path, 0o600);
    expect(new KeyFileSecretStore(dir).kind).toBe('keyfile');
  });

  it.runIf(posix)('refuses a symlinked or damaged key file rather than replacing it', () => {
    const dir = dataDir();
    mkdirSync(keysDir(dir), { recursive: true });
    const elsewhere = join(dir, 'elsewhere.key');
    writeFileSync(elsewhere, randomBytes(32), { mode: 0o600 });
    symlinkSync(elsewhere, join(keysDir(dir), 'secret.key'));
    expect(problemOf(() => new KeyFileSecretStore(dir))).toBe('key_file_unsafe');

    const other = dataDir();
    mkdirSync(keysDir(other), { recursive: true });
    writeFileSync(join(keysDir(other), 'secret.key'), randomBytes(31), { mode: 0o600 });
    expect(problemOf(() => new KeyFileSecretStore(other))).toBe('key_file_corrupt');
    expect(readFileSync(join(keysDir(other), 'secret.key')).length).toBe(31);
  });
});

describe('SafeStorageSecretStore', () => {
  it('wraps a random data key with safeStorage once and reuses it', () => {
    const dir = dataDir();
    const safeStorage = fakeSafeStorage({ backend: 'gnome_libsecret' });
    const store = new SafeStorageSecretStore(safeStorage, dir);
    expect(store.kind).toBe('os');
    roundTrips(store);
    const sealed = store.seal(Buffer.from('rahasia'));
    const again = new SafeStorageSecretStore(safeStorage, dir);
    expect(again.open(sealed)).toEqual(Buffer.from('rahasia'));
    expect(safeStorage.calls).toBe(1);
    expect(existsSync(join(keysDir(dir), OS_WRAPPED_KEY_FILE))).toBe(true);
    expect(existsSync(join(keysDir(dir), 'secret.key'))).toBe(false);
  });

  it('cannot unwrap the key under another OS account', () => {
    const dir = dataDir();
    new SafeStorageSecretStore(fakeSafeStorage(), dir);
    expect(problemOf(() => new SafeStorageSecretStore(fakeSafeStorage(), dir))).toBe('wrong_key');
  });

  it('refuses when safeStorage is unavailable or only has the plain-text backend', () => {
    expect(problemOf(() => new SafeStorageSecretStore(fakeSafeStorage({ available: false }), dataDir()))).toBe('os_unavailable');
    expect(problemOf(() => new SafeStorageSecretStore(fakeSafeStorage({ backend: 'basic_text' }), dataDir()))).toBe('os_plain_text');
  });
});

describe('PassphraseSecretStore', () => {
  it('derives the same key from the same passphrase and salt, and no other', () => {
    const dir = dataDir();
    const salt = passphraseSalt(dir);
    expect(salt.length).toBe(16);
    expect(passphraseSalt(dir)).toEqual(salt);
    const store = new PassphraseSecretStore('kuda lari di sawah', salt, { cost: FAST_SCRYPT });
    expect(store.kind).toBe('passphrase');
    roundTrips(store);
    const sealed = store.seal(Buffer.from('rahasia'));
    // NFKC: the full-width form typed through an IME is the same passphrase.
    expect(new PassphraseSecretStore('ｋｕｄａ lari di sawah', salt, { cost: FAST_SCRYPT }).open(sealed)).toEqual(Buffer.from('rahasia'));
    expect(problemOf(() => new PassphraseSecretStore('kuda lari di sawaH', salt, { cost: FAST_SCRYPT }).open(sealed))).toBe('wrong_key');
    expect(problemOf(() => new PassphraseSecretStore('kuda lari di sawah', randomBytes(16), { cost: FAST_SCRYPT }).open(sealed))).toBe('wrong_key');
    expect(problemOf(() => new PassphraseSecretStore('', salt))).toBe('passphrase_empty');
  });

  it('uses the production scrypt cost by default', () => {
    const started = performance.now();
    const store = new PassphraseSecretStore('kuda lari di sawah', randomBytes(16));
    expect(store.open(store.seal(Buffer.from('x')))).toEqual(Buffer.from('x'));
    expect(performance.now() - started).toBeGreaterThan(50); // N=2^17 is not instant; a typo'd cost would be
  });
});

describe('sealed values name their store', () => {
  it('says which store sealed a value another store is asked to open', () => {
    const dir = dataDir();
    const sealed = new KeyFileSecretStore(dir).seal(Buffer.from('x'));
    const os = new SafeStorageSecretStore(fakeSafeStorage(), dir);
    expect(() => os.open(sealed)).toThrow(/sealed by the keyfile secret store, but this host uses the os store/);
    expect(problemOf(() => os.open(Buffer.from([9, 1, 2, 3])))).toBe('sealed_format');
  });
});

describe('databaseKey', () => {
  it('makes one random key per profile, kept sealed, as an SQLCipher raw-key literal', () => {
    const dir = dataDir();
    const store = new KeyFileSecretStore(dir);
    const key = databaseKey(store, dir);
    expect(key).toMatch(/^x'[0-9a-f]{64}'$/);
    expect(databaseKey(new KeyFileSecretStore(dir), dir)).toBe(key);
    const sealed = readFileSync(join(keysDir(dir), DATABASE_KEY_FILE));
    expect(sealed.includes(databaseKeyBytes(store, dir))).toBe(false);
    expect(sealed.toString('latin1')).not.toContain(key.slice(2, 66));
    expect(databaseKey(new KeyFileSecretStore(dataDir()), dataDir())).not.toBe(key);
  });

  it('never replaces a sealed key it cannot open', () => {
    const dir = dataDir();
    databaseKey(new KeyFileSecretStore(dir), dir);
    const before = readFileSync(join(keysDir(dir), DATABASE_KEY_FILE));
    const stranger = new PassphraseSecretStore('bukan kuncinya', randomBytes(16), { cost: FAST_SCRYPT });
    expect(problemOf(() => databaseKey(stranger, dir))).toBe('kind_mismatch');
    rmSync(join(keysDir(dir), 'secret.key'));
    expect(problemOf(() => databaseKey(new KeyFileSecretStore(dir), dir))).toBe('wrong_key');
    expect(readFileSync(join(keysDir(dir), DATABASE_KEY_FILE))).toEqual(before);
  });
});
