// The profile's data keys: 32 random bytes each, made once per profile and kept sealed by
// the profile's secret store under <dataDir>/keys/: one for the database's page encryption,
// one for the document bytes in the blob store.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createOnce, keysDir, readPrivateFile } from './files';
import type { SecretStore } from './sealer';
import type { Random } from './stores';

export const DATABASE_KEY_FILE = 'db.key.sealed';
export const BLOB_KEY_FILE = 'blob.key.sealed';

/**
 * Returns the key as the SQLCipher raw-key literal `x'<64 hex digits>'`, ready for
 * `openDatabase(file, { key })`. A raw key skips SQLCipher's PBKDF2 (256,000 rounds, about
 * 120 ms per open here), which adds nothing for a key that is already 256 random bits.
 */
export function databaseKey(store: SecretStore, dataDir: string, random: Random = randomBytes): string {
  return `x'${databaseKeyBytes(store, dataDir, random).toString('hex')}'`;
}

export function databaseKeyBytes(store: SecretStore, dataDir: string, random: Random = randomBytes): Buffer {
  return profileKey(store, dataDir, DATABASE_KEY_FILE, 'lemari:database-key', random);
}

/** The key the blob store seals document bytes with. */
export function blobKeyBytes(store: SecretStore, dataDir: string, random: Random = randomBytes): Buffer {
  return profileKey(store, dataDir, BLOB_KEY_FILE, 'lemari:blob-key', random);
}

function profileKey(store: SecretStore, dataDir: string, file: string, context: string, random: Random): Buffer {
  const path = join(keysDir(dataDir), file);
  for (let attempt = 0; attempt < 2; attempt++) {
    const sealed = readPrivateFile(path, { checkMode: false });
    // A sealed key that will not open is never replaced: a new key would orphan the database.
    if (sealed) return store.open(sealed, context);
    const key = random(32);
    if (createOnce(path, store.seal(key, context), random)) return key;
  }
  throw new Error(`could not create or read ${path}`);
}
