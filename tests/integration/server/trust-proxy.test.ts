// Who names the client behind a reverse proxy (TRUST_PROXY). The per-address rate limit of
// the auth routes must count the real client: a client that writes its own X-Forwarded-For
// (a proxy with nginx's default $proxy_add_x_forwarded_for keeps it and appends the real
// address) must not get a fresh budget per forged value, and a connection from outside
// the listed proxies must not name a client at all.
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../../server/config';
import { startTestServer, type TestServer } from '../../helpers/server';

const LIMIT = 3;
const LOGIN = { nip: '198001012005011001', password: 'salah sekali kata sandinya', deviceName: 'PC' };

describe('TRUST_PROXY', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Status codes of LIMIT + 2 logins, each with its own forged leftmost X-Forwarded-For entry. */
  async function forgedLogins(trustProxy: false | number | string[], realClient: string): Promise<number[]> {
    server = await startTestServer('pglite', { trustProxy, rateLimit: { windowSeconds: 60, perAddress: LIMIT, perNip: 1000 } });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) {
      const res = await server.call('POST', '/v1/auth/login', { body: LOGIN, headers: { 'x-forwarded-for': `198.51.100.${i}, ${realClient}` } });
      statuses.push(res.status);
    }
    return statuses;
  }

  it('with one trusted hop, counts the address the proxy appended, whatever the client forged', async () => {
    const statuses = await forgedLogins(1, '203.0.113.9');
    expect(statuses.slice(0, LIMIT).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  });

  it('with a list of proxies that does not include the peer, believes no header and counts the connection', async () => {
    const statuses = await forgedLogins(['10.20.30.40'], '203.0.113.9');
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  });

  it('with the loopback proxy listed, two clients behind it have budgets of their own', async () => {
    await forgedLogins(['127.0.0.1'], '203.0.113.9');
    const other = await server!.call('POST', '/v1/auth/login', { body: LOGIN, headers: { 'x-forwarded-for': '203.0.113.10' } });
    expect(other.status).not.toBe(429);
  });

  it('parses the setting, refusing what is neither a hop count nor addresses', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('true')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy(' 127.0.0.1, 10.0.0.0/8 ,::1 ')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(() => parseTrustProxy('nginx.local')).toThrow(/TRUST_PROXY .* got "nginx.local"/);
  });
});
