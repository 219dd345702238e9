// The profile's server tokens: callers that find the access token stale at the same moment
// share one exchange of the refresh token (the server spends each refresh token once, and a
// second exchange stored out of order would leave a spent token in the store), and every
// caller of an account gets the same tokens.
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../common/dms/auth';
import type { StoredServerSession } from '../auth';
import { ServerTokens, sharedServerTokens, type ServerSessionStore } from './session';

const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
const clock = { now: () => new Date(NOW) };

function memoryStore(first: string): ServerSessionStore & { token(): string } {
  let stored = { refreshToken: first } as StoredServerSession;
  return {
    read: () => stored,
    write: (_userId, session) => void (stored = session),
    token: () => stored.refreshToken,
  };
}

/** A server that rotates r1 -> r2 -> r3 and refuses a spent token, answering after a tick. */
function rotatingServer() {
  const spent = new Set<string>();
  let n = 1;
  const exchanges: string[] = [];
  const refresh = async (refreshToken: string): Promise<Session> => {
    exchanges.push(refreshToken);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (spent.has(refreshToken)) throw new Error(`replayed ${refreshToken}`);
    spent.add(refreshToken);
    n += 1;
    return {
      accessToken: `a${n}`,
      accessTokenExpiresAt: new Date(NOW + 15 * 60_000).toISOString(),
      refreshToken: `r${n}`,
      refreshTokenExpiresAt: new Date(NOW + 30 * 86_400_000).toISOString(),
    } as Session;
  };
  return { refresh, exchanges };
}

describe('server tokens', () => {
  it('serves callers that come during an exchange with that one exchange', async () => {
    const store = memoryStore('r1');
    const server = rotatingServer();
    const tokens = new ServerTokens(7, store, clock);
    const got = await Promise.all([tokens.valid(server.refresh), tokens.valid(server.refresh), tokens.refresh(server.refresh)]);
    expect(got).toEqual(['a2', 'a2', 'a2']);
    expect(server.exchanges).toEqual(['r1']);
    expect(store.token()).toBe('r2');
    // A later refresh exchanges the rotated token, not the spent one.
    tokens.forget();
    expect(await tokens.valid(server.refresh)).toBe('a3');
    expect(server.exchanges).toEqual(['r1', 'r2']);
  });

  it('gives every caller of an account the same tokens, and another account its own', async () => {
    const store = memoryStore('r1');
    const tokensFor = sharedServerTokens(store, clock);
    expect(tokensFor(7)).toBe(tokensFor(7));
    expect(tokensFor(8)).not.toBe(tokensFor(7));
    // A run and a call beside it, both starting with no access token: one exchange, no replay.
    const server = rotatingServer();
    await Promise.all([tokensFor(7).valid(server.refresh), tokensFor(7).valid(server.refresh)]);
    expect(server.exchanges).toEqual(['r1']);
  });
});
