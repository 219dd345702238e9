// Why a secret store refused to work, as a stable reason plus the facts a person needs to
// fix it. The English message goes to logs; shells show `secretStoreMessage` in the
// user's language.

import type { Translate } from '../../core/ports';

export type SecretStoreProblem =
  | 'key_file_permissions'
  | 'key_file_unsafe'
  | 'key_file_corrupt'
  | 'wrong_key'
  | 'sealed_format'
  | 'kind_mismatch'
  | 'os_unavailable'
  | 'os_plain_text'
  | 'passphrase_empty';

const ENGLISH: Record<SecretStoreProblem, (p: Record<string, string>) => string> = {
  key_file_permissions: (p) => `key file ${p.path} is readable by other users (mode ${p.mode}); run: chmod 600 "${p.path}"`,
  key_file_unsafe: (p) => `key file ${p.path} is not a regular file (${p.detail}); refusing to use it`,
  key_file_corrupt: (p) => `key file ${p.path} is damaged (expected 32 bytes, found ${p.size}); restore it from a backup`,
  wrong_key: (p) => `sealed data cannot be opened with this ${p.kind} key: the key was replaced, the passphrase is wrong, or the data was altered`,
  sealed_format: () => 'sealed data is not in a format this build knows',
  kind_mismatch: (p) => `this value was sealed by the ${p.sealed} secret store, but this host uses the ${p.current} store`,
  os_unavailable: () => 'the operating system key store (Electron safeStorage) is not available',
  os_plain_text: (p) => `the operating system key store only offers the "${p.backend}" backend, which does not protect keys; use a passphrase`,
  passphrase_empty: () => 'a passphrase is required',
};

export class SecretStoreError extends Error {
  constructor(
    readonly problem: SecretStoreProblem,
    readonly params: Record<string, string>,
  ) {
    super(ENGLISH[problem](params));
    this.name = 'SecretStoreError';
  }
}

export function secretStoreMessage(error: SecretStoreError, translate: Translate): string {
  return translate(`auth.secret_${error.problem}`, error.params);
}
