// The profile database's page-encryption key: 32 random bytes made once per profile,
// kept sealed by the profile's secret store in <dataDir>/keys/db.key.sealed.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createOnce, keysDir, readPrivateFile } from './files';
import type { SecretStore } from './sealer';
import type { Random } from './stores';

export const DATABASE_KEY_FILE = 'db.key.sealed';
const CONTEXT = 'lemari:database-key';

/**
 * Returns the key as the SQLCipher raw-key literal `x'<64 hex digits>'`, ready for
 * `openDatabase(file, { key })`. A raw key skips SQLCipher's PBKDF2 (256,000 rounds, about
 * 120 ms per open here), which adds nothing for a key that is already 256 random bits.
 */
export function databaseKey(store: SecretStore, dataDir: string, random: Random = randomBytes): string {
  return `x'${databaseKeyBytes(store, dataDir, random).toString('hex')}'`;
}

export function databaseKeyBytes(store: SecretStore, dataDir: string, random: Random = randomBytes): Buffer {
  const path = join(keysDir(dataDir), DATABASE_KEY_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    const sealed = readPrivateFile(path, { checkMode: false });
    // A sealed key that will not open is never replaced: a new key would orphan the database.
    if (sealed) return store.open(sealed, CONTEXT);
    const key = random(32);
    if (createOnce(path, store.seal(key, CONTEXT), random)) return key;
  }
  throw new Error(`could not create or read ${path}`);
}
