// The three ways a profile's sealing key is protected:
// - KeyFileSecretStore: a random key in <dataDir>/keys/secret.key, mode 0600 (the CLI and the
//   browser host, which have no OS key store API);
// - SafeStorageSecretStore: a random key wrapped by Electron's safeStorage (DPAPI on
//   Windows, Keychain on macOS, libsecret/kwallet on Linux), kept in keys/secret.key.os;
// - PassphraseSecretStore: a key derived with scrypt from a passphrase the user types, for
//   Linux desktops where safeStorage offers only its plain-text backend.

import { randomBytes, scryptSync } from 'node:crypto';
import { join } from 'node:path';
import { SecretStoreError } from './errors';
import { createOnce, keysDir, readPrivateFile } from './files';
import { KEY_BYTES, KeyedSecretStore } from './sealer';

export type Random = (n: number) => Buffer;

export const KEY_FILE = 'secret.key';
export const OS_WRAPPED_KEY_FILE = 'secret.key.os';
export const PASSPHRASE_SALT_FILE = 'passphrase.salt';

function loadOrCreateKey(path: string, random: Random): Buffer {
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = readPrivateFile(path, { checkMode: true });
    if (existing) {
      if (existing.length !== KEY_BYTES) throw new SecretStoreError('key_file_corrupt', { path, size: String(existing.length) });
      return existing;
    }
    const key = random(KEY_BYTES);
    if (createOnce(path, key, random)) return key;
    // Another process created it between our read and our link: use theirs.
  }
  throw new Error(`could not create or read ${path}`);
}

export class KeyFileSecretStore extends KeyedSecretStore {
  readonly path: string;

  constructor(dataDir: string, options: { random?: Random } = {}) {
    const random = options.random ?? randomBytes;
    const path = join(keysDir(dataDir), KEY_FILE);
    super('keyfile', loadOrCreateKey(path, random), random);
    this.path = path;
  }
}

/** Electron's safeStorage, typed by shape so main/infra never imports electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Linux backends that store "encrypted" strings with a hard-coded key: no protection at all. */
const PLAIN_TEXT_BACKENDS = new Set(['basic_text']);

export class SafeStorageSecretStore extends KeyedSecretStore {
  constructor(safeStorage: SafeStorageLike, dataDir: string, options: { random?: Random } = {}) {
    const random = options.random ?? randomBytes;
    if (!safeStorage.isEncryptionAvailable()) throw new SecretStoreError('os_unavailable', {});
    const backend = safeStorage.getSelectedStorageBackend?.();
    if (backend && PLAIN_TEXT_BACKENDS.has(backend)) throw new SecretStoreError('os_plain_text', { backend });
    super('os', SafeStorageSecretStore.dataKey(safeStorage, join(keysDir(dataDir), OS_WRAPPED_KEY_FILE), random), random);
  }

  /** The profile's data key: unwrapped from the file, or made and wrapped on first use. */
  private static dataKey(safeStorage: SafeStorageLike, path: string, random: Random): Buffer {
    for (let attempt = 0; attempt < 2; attempt++) {
      const wrapped = readPrivateFile(path, { checkMode: false });
      if (wrapped) return SafeStorageSecretStore.unwrap(safeStorage, wrapped);
      const key = random(KEY_BYTES);
      if (createOnce(path, safeStorage.encryptString(key.toString('hex')), random)) return key;
    }
    throw new Error(`could not create or read ${path}`);
  }

  private static unwrap(safeStorage: SafeStorageLike, wrapped: Buffer): Buffer {
    let hex: string;
    try {
      hex = safeStorage.decryptString(wrapped);
    } catch {
      throw new SecretStoreError('wrong_key', { kind: 'os' });
    }
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new SecretStoreError('wrong_key', { kind: 'os' });
    return Buffer.from(hex, 'hex');
  }
}

/**
 * scrypt cost: N = 2^17, r = 8 (128 MiB, about half a second on an office PC), OWASP's
 * setting for scrypt. The key is derived once per start, so the delay is paid once.
 */
export const PASSPHRASE_COST = { N: 2 ** 17, r: 8, p: 1 } as const;

export class PassphraseSecretStore extends KeyedSecretStore {
  constructor(passphrase: string, salt: Buffer, options: { random?: Random; cost?: { N: number; r: number; p: number } } = {}) {
    if (passphrase.length === 0) throw new SecretStoreError('passphrase_empty', {});
    if (salt.length < 16) throw new Error('a passphrase salt has at least 16 bytes');
    const cost = options.cost ?? PASSPHRASE_COST;
    // NFKC: the same passphrase typed on another keyboard layout or IME derives the same key.
    const key = scryptSync(passphrase.normalize('NFKC'), salt, KEY_BYTES, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
    super('passphrase', key, options.random ?? randomBytes);
  }
}

/** The profile's passphrase salt: random, made on first use, kept in keys/passphrase.salt. */
export function passphraseSalt(dataDir: string, random: Random = randomBytes): Buffer {
  const path = join(keysDir(dataDir), PASSPHRASE_SALT_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = readPrivateFile(path, { checkMode: false });
    if (existing) return existing;
    const salt = random(16);
    if (createOnce(path, salt, random)) return salt;
  }
  throw new Error(`could not create or read ${path}`);
}
