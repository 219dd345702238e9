// The one sealing format every secret store shares: AES-256-GCM with a fresh random
// 12-byte nonce per seal. A sealed value is
//   [version 0x01][store kind][nonce 12][ciphertext][tag 16]
// and the two header bytes plus an optional context string are authenticated (AAD), so a
// value cannot be moved to another purpose (a TOTP secret into another user's row) or
// relabelled as another store's without `open` failing.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretStoreError } from './errors';

export type SecretStoreKind = 'os' | 'keyfile' | 'passphrase';

/** Seals and opens small secrets (TOTP secrets, the database key) with a key the OS or the user protects. */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** `context` names what the value is for; the same context must be given to `open`. */
  seal(plain: Buffer, context?: string): Buffer;
  open(sealed: Buffer, context?: string): Buffer;
}

export const SEALED_VERSION = 1;
const KIND_BYTE: Record<SecretStoreKind, number> = { keyfile: 1, os: 2, passphrase: 3 };
const KIND_OF_BYTE = new Map(Object.entries(KIND_BYTE).map(([kind, byte]) => [byte, kind as SecretStoreKind]));
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 2;
export const KEY_BYTES = 32;

function aad(header: Buffer, context: string | undefined): Buffer {
  return Buffer.concat([header, Buffer.from(context ?? '', 'utf8')]);
}

export function seal(key: Buffer, kind: SecretStoreKind, plain: Buffer, context?: string, random: (n: number) => Buffer = randomBytes): Buffer {
  const header = Buffer.from([SEALED_VERSION, KIND_BYTE[kind]]);
  const nonce = random(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(header, context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
}

export function open(key: Buffer, kind: SecretStoreKind, sealed: Buffer, context?: string): Buffer {
  if (sealed.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || sealed[0] !== SEALED_VERSION) {
    throw new SecretStoreError('sealed_format', {});
  }
  const sealedKind = KIND_OF_BYTE.get(sealed[1]);
  if (!sealedKind) throw new SecretStoreError('sealed_format', {});
  // Says which store a value needs, so a host wired to another store fails with a reason.
  if (sealedKind !== kind) throw new SecretStoreError('kind_mismatch', { sealed: sealedKind, current: kind });
  const header = sealed.subarray(0, HEADER_BYTES);
  const nonce = sealed.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(HEADER_BYTES + NONCE_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(header, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SecretStoreError('wrong_key', { kind });
  }
}

/** A store over one 32-byte key held in memory; the three stores differ only in how they get it. */
export class KeyedSecretStore implements SecretStore {
  readonly #key: Buffer;

  constructor(
    readonly kind: SecretStoreKind,
    key: Buffer,
    private readonly random: (n: number) => Buffer = randomBytes,
  ) {
    if (key.length !== KEY_BYTES) throw new Error(`a secret store key has ${KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  seal(plain: Buffer, context?: string): Buffer {
    return seal(this.#key, this.kind, plain, context, this.random);
  }

  open(sealed: Buffer, context?: string): Buffer {
    return open(this.#key, this.kind, sealed, context);
  }
}
