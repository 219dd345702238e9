// Secret stores: seal small secrets (TOTP secrets, the database key) with a key that the
// OS (Electron safeStorage), a 0600 key file or a passphrase protects. The composition
// root picks one per host; main/core sees only the SecretStore port.

export { KeyedSecretStore, SEALED_VERSION, type SecretStore, type SecretStoreKind } from './sealer';
export { SecretStoreError, secretStoreMessage, type SecretStoreProblem } from './errors';
export {
  KEY_FILE,
  KeyFileSecretStore,
  OS_WRAPPED_KEY_FILE,
  PASSPHRASE_COST,
  PassphraseSecretStore,
  SafeStorageSecretStore,
  passphraseSalt,
  type Random,
  type SafeStorageLike,
} from './stores';
export { BLOB_KEY_FILE, DATABASE_KEY_FILE, blobKeyBytes, databaseKey, databaseKeyBytes } from './database-key';
export { KEYS_DIR, keysDir } from './files';
