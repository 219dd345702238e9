// What the auth flows share: the server's dependencies, the key that hashes client
// secrets (read once from the database, on first use), and the session store.
import type { ServerDeps } from '../deps';
import { loadSecretDigest, type SecretDigest } from './secrets';
import { sessions, type Sessions } from './sessions';

export interface AuthContext extends ServerDeps {
  digest(): Promise<SecretDigest>;
  sessions: Sessions;
}

export function authContext(deps: ServerDeps): AuthContext {
  let digest: Promise<SecretDigest> | undefined;
  const loadDigest = () => {
    digest ??= loadSecretDigest(deps.db, deps.sealer);
    return digest;
  };
  return { ...deps, digest: loadDigest, sessions: sessions(deps, loadDigest) };
}
