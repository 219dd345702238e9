// The server session a sync run sends with: the refresh token that online activation sealed
// in server_sessions (migration 006), exchanged for a short-lived access token when the run
// needs one, and rotated on every exchange (the server spends the old refresh token, so the
// new one is stored at once, sealed the same way). The access token lives in memory only.
import type { Session } from '../../../common/dms/auth';
import type { Db } from '../../infra/db';
import type { SecretStore } from '../../infra/secrets';
import { readServerSession, writeServerSession, type StoredServerSession } from '../auth';
import type { Clock } from '../ports';

/** Refresh this long before the server's expiry, so a token does not lapse mid-request. */
const EARLY_MS = 30_000;

export interface ServerSessionStore {
  read(userId: number): StoredServerSession | null;
  write(userId: number, session: StoredServerSession): void;
}

export function sealedSessionStore(db: Db, secrets: SecretStore): ServerSessionStore {
  return {
    read: (userId) => readServerSession(db, secrets, userId),
    write: (userId, session) => writeServerSession(db, secrets, userId, session),
  };
}

export type RefreshCall = (refreshToken: string, signal?: AbortSignal) => Promise<Session>;

/**
 * Access tokens of one account's server session; `current` is what requests send. One
 * instance per account serves the whole profile (see `sharedServerTokens`): a sync run and
 * a call made beside it (a pull, a conflict's download, the admin's server accounts) must
 * never exchange the same refresh token at once, or the one whose answer is stored last
 * may leave the other's spent token in the store, and its next use reads as a replay that
 * revokes the whole session.
 */
export class ServerTokens {
  private token: string | null = null;
  private expiresAt = 0;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly userId: number,
    private readonly store: ServerSessionStore,
    private readonly clock: Clock,
  ) {}

  current(): string | null {
    return this.token;
  }

  /** A token that is still good, refreshed first when it is missing or about to expire. */
  async valid(refresh: RefreshCall, signal?: AbortSignal): Promise<string> {
    if (this.token && this.clock.now().getTime() < this.expiresAt - EARLY_MS) return this.token;
    return this.refresh(refresh, signal);
  }

  /**
   * Exchanges the stored refresh token; the rotated one is stored before anything else
   * happens. Callers that come while an exchange is on its way share it.
   */
  refresh(refresh: RefreshCall, signal?: AbortSignal): Promise<string> {
    this.pending ??= this.exchange(refresh, signal).finally(() => (this.pending = null));
    return this.pending;
  }

  private async exchange(refresh: RefreshCall, signal?: AbortSignal): Promise<string> {
    const stored = this.store.read(this.userId);
    if (!stored) throw new Error('no server session');
    this.token = null;
    const session = await refresh(stored.refreshToken, signal);
    this.store.write(this.userId, {
      ...stored,
      refreshToken: session.refreshToken,
      refreshTokenExpiresAt: session.refreshTokenExpiresAt,
      savedAt: this.clock.now().toISOString(),
    });
    this.token = session.accessToken;
    this.expiresAt = Date.parse(session.accessTokenExpiresAt);
    return this.token;
  }

  /** The server refused the token (expired, or the session is gone): ask again next time. */
  forget(): void {
    this.token = null;
  }
}

/** One `ServerTokens` per account for the whole profile (see ServerTokens). */
export function sharedServerTokens(store: ServerSessionStore, clock: Clock): (userId: number) => ServerTokens {
  const byUser = new Map<number, ServerTokens>();
  return (userId) => {
    let tokens = byUser.get(userId);
    if (!tokens) {
      tokens = new ServerTokens(userId, store, clock);
      byUser.set(userId, tokens);
    }
    return tokens;
  };
}
