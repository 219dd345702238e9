// Secrets the server itself must read back (each user's TOTP secret, the keys that sign
// tokens and hash client secrets) are kept in the database sealed with the server key: 32
// random bytes in a file outside the database (LEMARI_SECRET_KEY_FILE, by default
// `secret.key` in the data directory, mode 0600). A dump of the database alone then neither
// yields codes for anyone's authenticator nor lets anyone forge a token. Every node of one
// database reads the same key file; a node started with another key refuses to start
// (a check value sealed under the key is kept in server_keys), rather than failing logins.
//
// Format: "lmk1:" + base64url(nonce 12 | ciphertext | tag 16), AES-256-GCM with the
// purpose as additional data, so a sealed value moved to another row or purpose
// (another user's secret, another key's slot) does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Db, Sql } from '../db';

const PREFIX = 'lmk1:';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** What a sealed value is for: a user's TOTP secret (by NIP, which never changes), or a server key by name. */
export const sealPurpose = {
  totp: (nip: string) => `totp:${nip}`,
  serverKey: (name: string) => `server-key:${name}`,
};

export class SealedSecretError extends Error {}

export class SecretSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SealedSecretError(`The server key must be ${KEY_BYTES} bytes, not ${key.length}.`);
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(purpose: string, plain: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The plaintext of a value sealed for `purpose` under this key; throws SealedSecretError otherwise. */
  open(purpose: string, stored: string): string {
    if (!SecretSealer.isSealed(stored)) throw new SealedSecretError(`A stored ${purpose.split(':')[0]} secret is not sealed.`);
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SealedSecretError('A sealed secret is too short.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedSecretError(`A sealed ${purpose.split(':')[0]} secret does not open with this server's key.`);
    }
  }
}

/**
 * The server key from `file`; made (32 random bytes, mode 0600, written and fsynced before
 * use) when there is none yet, which is what a first start with no setup does.
 */
export async function loadServerKey(file: string): Promise<Buffer> {
  try {
    return readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(KEY_BYTES).toString('base64') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    // Another process of this data directory made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(file);
}

function readKey(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new SealedSecretError(`The server key file ${file} must hold ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32).`);
  return key;
}

const CHECK = 'key-check';
const CHECK_TEXT = 'lemari server key';

/**
 * Refuses a key this database was not sealed with (a node given another key file), and
 * seals what an older version stored plain: TOTP secrets and server keys. Run at start,
 * after the migrations.
 */
export async function checkServerKey(db: Db, sealer: SecretSealer, file: string): Promise<void> {
  await db.query('insert into server_keys (name, secret) values ($1, $2) on conflict (name) do nothing', [CHECK, sealer.seal(sealPurpose.serverKey(CHECK), CHECK_TEXT)]);
  const { rows } = await db.query<{ secret: string }>('select secret from server_keys where name = $1', [CHECK]);
  try {
    if (sealer.open(sealPurpose.serverKey(CHECK), rows[0].secret) !== CHECK_TEXT) throw new SealedSecretError('the check value differs');
  } catch (error) {
    if (!(error instanceof SealedSecretError)) throw error;
    throw new SealedSecretError(
      `The server key in ${file} is not the key this database's secrets were sealed with. Every node of one database must read the same key file (LEMARI_SECRET_KEY_FILE); restore the original file.`,
    );
  }
  await db.transaction(async (tx) => {
    const users = await tx.query<{ id: number; nip: string; totp_secret: string | null; totp_pending_secret: string | null }>(
      `select id, nip, totp_secret, totp_pending_secret from users
        where (totp_secret is not null and totp_secret not like $1) or (totp_pending_secret is not null and totp_pending_secret not like $1) for update`,
      [`${PREFIX}%`],
    );
    const sealed = (nip: string, value: string | null) => (value === null || SecretSealer.isSealed(value) ? value : sealer.seal(sealPurpose.totp(nip), value));
    for (const user of users.rows) {
      await tx.query('update users set totp_secret = $2, totp_pending_secret = $3 where id = $1', [user.id, sealed(user.nip, user.totp_secret), sealed(user.nip, user.totp_pending_secret)]);
    }
  });
}

/** A server key by name (made on first use), kept sealed; one stored plain by an older version is sealed in place. */
export async function loadSealedKey(sql: Sql, sealer: SecretSealer, name: string): Promise<Buffer> {
  const purpose = sealPurpose.serverKey(name);
  await sql.query('insert into server_keys (name, secret) values ($1, $2) on conflict (name) do nothing', [name, sealer.seal(purpose, randomBytes(32).toString('base64'))]);
  const { rows } = await sql.query<{ secret: string }>('select secret from server_keys where name = $1', [name]);
  const stored = rows[0].secret;
  if (SecretSealer.isSealed(stored)) return Buffer.from(sealer.open(purpose, stored), 'base64');
  await sql.query('update server_keys set secret = $2 where name = $1 and secret = $3', [name, sealer.seal(purpose, stored), stored]);
  return Buffer.from(stored, 'base64');
}
