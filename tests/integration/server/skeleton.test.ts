// The server's frame on both databases: health, readiness, the error shape for unknown
// routes and bad bodies, the migrations' guards, and token checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../server/db';
import { migrate } from '../../../server/db/migrate';
import { MIGRATIONS } from '../../../server/db/migrations';
import { startTestServer, type TestDbKind, type TestServer } from '../../helpers/server';

describe.each<TestDbKind>(['pglite', 'postgres'])('server frame on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.close());

  it('answers health and readiness', async () => {
    expect((await server.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await server.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: kind, blobs: 'directory' });
  });

  it('answers an unknown route with a 404 in the API error shape', async () => {
    const res = await server.call('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('refuses a forged and an expired token with distinct codes', async () => {
    await server.instansi('A1');
    const user = await server.user({ instansiId: 'A1', nip: '198503152010012003' });
    const [payload] = user.token.split('.');
    const forged = `${payload}.${'A'.repeat(43)}`;
    const { authenticate } = await import('../../../server/auth/tokens');
    await expect(authenticate(server.deps.db, server.deps.signer, `Bearer ${forged}`)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(authenticate(server.deps.db, server.deps.signer, user.auth.authorization)).resolves.toMatchObject({ instansiId: 'A1', role: 'clerk' });
    const expired = server.deps.signer.issueAccess({ userId: user.userId, instansiId: 'A1', deviceId: user.deviceId }, -1).token;
    await expect(authenticate(server.deps.db, server.deps.signer, `Bearer ${expired}`)).rejects.toMatchObject({ code: 'token_expired' });
    await server.deps.db.query('update devices set revoked_at = now() where id = $1', [user.deviceId]);
    await expect(authenticate(server.deps.db, server.deps.signer, user.auth.authorization)).rejects.toMatchObject({ code: 'session_revoked' });
  });
});

describe('migrations', () => {
  it('refuse a database that is newer than this server, or has diverged', async () => {
    const db = await openDb({ dataDir: 'memory://' });
    try {
      await migrate(db);
      await expect(migrate(db, MIGRATIONS.slice(0, 2))).rejects.toThrow(/newer than this server/);
      const renamed = MIGRATIONS.map((m, i) => (i === 1 ? { ...m, name: 'other' } : m));
      await expect(migrate(db, renamed)).rejects.toThrow(/differs/);
      expect((await migrate(db)).applied).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
