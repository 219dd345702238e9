// Login to the central server on both databases: password then TOTP, the device it
// registers, replayed and drifting codes, lockout, refresh-token rotation and replay,
// logout, device revocation, the instansi wall around devices, bad input, rate limits,
// and logs that never carry a secret.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase32, toBase32, totpCode } from '../../../common/auth/totp';
import { startServer } from '../../../server/app';
import { passwords } from '../../../server/auth/password';
import { sealPurpose } from '../../../server/auth/sealing';
import { loadConfig } from '../../../server/config';
import { openDb } from '../../../server/db';
import { startTestServer, type TestAccount, type TestDbKind, type TestServer } from '../../helpers/server';

const T0 = Date.UTC(2026, 2, 2, 1, 0, 15); // 15 s into a TOTP step
const NIP = {
  adminA: '198503152010012003',
  clerkA: '199001012015011001',
  adminA2: '198807222014032002',
  adminB: '197912312005011004',
  lock: '199203142019031005',
  unknown: '196001011985031001',
  unknownLocked: '196202021986032002',
  drift: '199512252020121006',
  refresh: '198011112006041007',
  lostAnswer: '198203152008011008',
  lateAnswer: '198304162009021009',
};

type Call = TestServer['call'];

async function loginStep(call: Call, account: { nip: string; password: string }, device: { deviceId?: string; deviceName?: string } = { deviceName: 'PC Arsip' }) {
  return call('POST', '/v1/auth/login', { body: { nip: account.nip, password: account.password, ...device } });
}

describe.each<TestDbKind>(['pglite', 'postgres'])('auth on %s', (kind) => {
  let server: TestServer;
  let clock = T0;
  const tick = (seconds: number) => (clock += seconds * 1000);
  let adminA: TestAccount;
  let clerkA: TestAccount;

  /** Both steps; moves the clock to the next TOTP step first, so every login has a fresh code. */
  async function login(account: TestAccount, device: { deviceId?: string; deviceName?: string } = { deviceName: 'PC Arsip' }) {
    tick(30);
    const step = await loginStep(server.call, account, device);
    expect(step.status, JSON.stringify(step.body)).toBe(200);
    const done = await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: account.code() } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return done.body;
  }

  beforeAll(async () => {
    server = await startTestServer(kind, { now: () => clock, rateLimit: { windowSeconds: 60, perAddress: 1000, perNip: 100 } });
    await server.instansi('A1', 'BKD Kota Contoh');
    await server.instansi('B1', 'BKPSDM Kabupaten Lain');
    adminA = await server.account({ instansiId: 'A1', nip: NIP.adminA, role: 'admin', name: 'Siti Aminah' });
    clerkA = await server.account({ instansiId: 'A1', nip: NIP.clerkA, name: 'Budi Santoso' });
  });
  afterAll(() => server?.close());

  it('logs in with password then TOTP, registering the workstation as a device of the instansi', async () => {
    const step = await loginStep(server.call, adminA, { deviceName: 'PC Arsip 1' });
    expect(step.status).toBe(200);
    expect(step.body).toMatchObject({ next: 'totp', stepToken: expect.any(String) });
    // The step token is no access token.
    expect((await server.call('GET', '/v1/devices', { token: step.body.stepToken })).body.error.code).toBe('unauthenticated');
    const session = (await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: adminA.code() } })).body;
    expect(session.user).toEqual({ nip: NIP.adminA, name: 'Siti Aminah', role: 'admin', instansi: { id: 'A1', name: 'BKD Kota Contoh' } });
    expect(Date.parse(session.accessTokenExpiresAt) - clock).toBe(server.config.accessTokenSeconds * 1000);
    const listed = await server.call('GET', '/v1/devices', { token: session.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.devices).toEqual([
      expect.objectContaining({ id: session.deviceId, name: 'PC Arsip 1', registeredBy: { nip: NIP.adminA, name: 'Siti Aminah' }, revokedAt: null, lastSeenAt: expect.any(String) }),
    ]);
    // The next login from the same workstation names its device instead of registering another.
    const again = await login(adminA, { deviceId: session.deviceId });
    expect(again.deviceId).toBe(session.deviceId);
    expect((await server.call('GET', '/v1/devices', { token: again.accessToken })).body.devices).toHaveLength(1);
  });

  it('answers a wrong password and an unknown NIP alike', async () => {
    const wrong = await loginStep(server.call, { nip: NIP.clerkA, password: 'bukan kata sandinya' });
    const unknown = await loginStep(server.call, { nip: NIP.unknown, password: 'bukan kata sandinya' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('refuses a TOTP code of a step already used, and takes the next step\'s code', async () => {
    await login(clerkA);
    const step = await loginStep(server.call, clerkA);
    const replayed = await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: clerkA.code() } });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error).toMatchObject({ code: 'invalid_code', message: expect.stringMatching(/used already/) });
    tick(30);
    const next = await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: clerkA.code() } });
    expect(next.status).toBe(200);
  });

  it('takes a code one step off either way, and refuses two steps off', async () => {
    const account = await server.account({ instansiId: 'A1', nip: NIP.drift });
    tick(30);
    const step = (await loginStep(server.call, account)).body.stepToken;
    const withCode = (code: string) => server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step, code } });
    expect((await withCode(account.code(clock + 60_000))).body.error.code).toBe('invalid_code');
    expect((await withCode(account.code(clock - 60_000))).body.error.code).toBe('invalid_code');
    expect((await withCode(account.code(clock - 30_000))).status).toBe(200);
    expect((await withCode(account.code(clock + 30_000))).status).toBe(200);
  });

  it('locks an account after five wrong tries, longer each time, and an unknown NIP alike', async () => {
    const account = await server.account({ instansiId: 'A1', nip: NIP.lock });
    const wrong = () => loginStep(server.call, { nip: NIP.lock, password: 'salah terus menerus' });
    for (let i = 0; i < 4; i++) expect((await wrong()).body.error.code).toBe('invalid_credentials');
    // A wrong TOTP code counts with the wrong passwords.
    tick(30);
    const step = await loginStep(server.call, account);
    const badCode = await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: account.code(clock + 300_000) } });
    expect(badCode.status).toBe(423);
    expect(badCode.body.error.code).toBe('account_locked');
    expect(badCode.headers.get('retry-after')).toBe('60');
    // Locked: even the right password is refused, with the time left.
    tick(20);
    const locked = await loginStep(server.call, account);
    expect(locked.status).toBe(423);
    expect(locked.headers.get('retry-after')).toBe('40');
    tick(41);
    expect((await loginStep(server.call, account)).status).toBe(200);
    for (let i = 0; i < 4; i++) await wrong();
    const second = await wrong();
    expect(second.status).toBe(423);
    expect(second.headers.get('retry-after')).toBe('300');
    tick(301);
    await login(account); // a success starts the count again
    for (let i = 0; i < 4; i++) await wrong();
    expect((await wrong()).headers.get('retry-after')).toBe('60');

    const unknown = () => loginStep(server.call, { nip: NIP.unknownLocked, password: 'coba coba saja dulu' });
    tick(3600);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await unknown());
    expect(answers.slice(0, 4).map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(answers[4].status).toBe(423);
    expect(answers[4].headers.get('retry-after')).toBe('60');
  });

  it('rotates the refresh token, and a replayed one revokes every token of its login', async () => {
    const account = await server.account({ instansiId: 'A1', nip: NIP.refresh });
    const first = await login(account);
    const other = await login(account, { deviceId: first.deviceId }); // a second login, its own family
    const refresh = (token: string) => server.call('POST', '/v1/auth/refresh', { body: { refreshToken: token } });
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(second.body).toMatchObject({ deviceId: first.deviceId, user: { nip: NIP.refresh } });
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);
    // Stored only as keyed hashes: a copy of the table holds no usable token.
    const stored = (await server.deps.db.query<{ token_hash: string }>('select token_hash from refresh_tokens')).rows.map((r) => r.token_hash);
    expect(stored.length).toBeGreaterThanOrEqual(4);
    for (const token of [first.refreshToken, second.body.refreshToken, third.body.refreshToken]) expect(stored.join()).not.toContain(token);
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('session_revoked');
    // The newest token of the family went with it; the other login did not.
    expect((await refresh(third.body.refreshToken)).body.error.code).toBe('session_revoked');
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('lets a spent token be exchanged again when the answer was lost, until its successor is used', async () => {
    const account = await server.account({ instansiId: 'A1', nip: NIP.lostAnswer });
    const first = await login(account);
    const refresh = (token: string) => server.call('POST', '/v1/auth/refresh', { body: { refreshToken: token } });
    const lost = await refresh(first.refreshToken); // the server rotated; the workstation never heard
    expect(lost.status).toBe(200);
    tick(60);
    const again = await refresh(first.refreshToken);
    expect(again.status).toBe(200);
    expect(again.body.refreshToken).not.toBe(lost.body.refreshToken);
    // The successor nobody received is retired: presented after all, it is a replay and ends the login.
    tick(60);
    const next = await refresh(again.body.refreshToken);
    expect(next.status).toBe(200);
    expect((await refresh(first.refreshToken)).body.error.code).toBe('session_revoked'); // its successor has been used now
    expect((await refresh(next.body.refreshToken)).body.error.code).toBe('session_revoked');
    expect((await refresh(lost.body.refreshToken)).body.error.code).toBe('session_revoked');
  });

  it('treats a spent token presented after the grace period as a replay', async () => {
    const account = await server.account({ instansiId: 'A1', nip: NIP.lateAnswer });
    const first = await login(account);
    const refresh = (token: string) => server.call('POST', '/v1/auth/refresh', { body: { refreshToken: token } });
    const lost = await refresh(first.refreshToken);
    tick(server.config.refreshReuseGraceSeconds + 1);
    expect((await refresh(first.refreshToken)).body.error.code).toBe('session_revoked');
    expect((await refresh(lost.body.refreshToken)).body.error.code).toBe('session_revoked');
  });

  it('expires access tokens and refresh tokens', async () => {
    const session = await login(adminA);
    tick(server.config.accessTokenSeconds);
    const expired = await server.call('GET', '/v1/devices', { token: session.accessToken });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('token_expired');
    const refreshed = await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect((await server.call('GET', '/v1/devices', { token: refreshed.body.accessToken })).status).toBe(200);
    tick(server.config.refreshTokenDays * 86_400);
    const late = await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('session_revoked');
  });

  it('logs out: the refresh token stops working', async () => {
    const session = await login(clerkA);
    const out = await server.call('POST', '/v1/auth/logout', { body: { refreshToken: session.refreshToken } });
    expect(out.status).toBe(204);
    expect((await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } })).body.error.code).toBe('session_revoked');
    expect((await server.call('POST', '/v1/auth/logout', { body: { refreshToken: 'not-a-token' } })).status).toBe(204);
  });

  it('revoking a device ends its access and refresh tokens at once', async () => {
    const admin2 = await server.account({ instansiId: 'A1', nip: NIP.adminA2, role: 'admin' });
    const mine = await login(adminA);
    const theirs = await login(admin2, { deviceName: 'Laptop hilang' });
    expect((await server.call('GET', '/v1/devices', { token: theirs.accessToken })).status).toBe(200);
    const revoked = await server.call('POST', `/v1/devices/${theirs.deviceId}/revoke`, { token: mine.accessToken });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: theirs.deviceId, name: 'Laptop hilang', revokedAt: new Date(clock).toISOString() });
    const access = await server.call('GET', '/v1/devices', { token: theirs.accessToken });
    expect(access.status).toBe(401);
    expect(access.body.error.code).toBe('session_revoked');
    expect((await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: theirs.refreshToken } })).body.error.code).toBe('session_revoked');
    // The revoked device cannot be logged in to either; revoking again changes nothing.
    expect((await loginStep(server.call, admin2, { deviceId: theirs.deviceId })).body.error.code).toBe('session_revoked');
    tick(5);
    const again = await server.call('POST', `/v1/devices/${theirs.deviceId}/revoke`, { token: mine.accessToken });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await server.call('GET', '/v1/devices', { token: mine.accessToken })).status).toBe(200);
  });

  it('keeps the devices of one instansi from the admins of another, and from clerks', async () => {
    const adminB = await server.account({ instansiId: 'B1', nip: NIP.adminB, role: 'admin' });
    const b = await login(adminB, { deviceName: 'PC BKPSDM' });
    const a = await login(adminA);
    const listA = (await server.call('GET', '/v1/devices', { token: a.accessToken })).body.devices as { id: string }[];
    expect(listA.map((d) => d.id)).not.toContain(b.deviceId);
    expect((await server.call('GET', '/v1/devices', { token: b.accessToken })).body.devices.map((d: { id: string }) => d.id)).toEqual([b.deviceId]);
    const cross = await server.call('POST', `/v1/devices/${b.deviceId}/revoke`, { token: a.accessToken });
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe('not_found');
    expect((await server.call('GET', '/v1/devices', { token: b.accessToken })).status).toBe(200);
    // A device of B cannot be named at a login of A's user either.
    expect((await loginStep(server.call, adminA, { deviceId: b.deviceId })).body.error.code).toBe('not_found');
    const clerk = await login(clerkA);
    expect((await server.call('GET', '/v1/devices', { token: clerk.accessToken })).body.error.code).toBe('forbidden');
    expect((await server.call('POST', `/v1/devices/${clerk.deviceId}/revoke`, { token: clerk.accessToken })).body.error.code).toBe('forbidden');
  });

  it('answers malformed bodies, unknown fields and wrong shapes with their own codes', async () => {
    const post = (path: string, body: unknown) => server.call('POST', path, { body });
    const cases: [string, unknown, number, string][] = [
      ['/v1/auth/login', '{"nip": "1985', 400, 'invalid_json'],
      ['/v1/auth/login', { nip: NIP.adminA, password: 'x', deviceName: 'PC', admin: true }, 400, 'unknown_field'],
      ['/v1/auth/login', { nip: 198503152, password: 'x', deviceName: 'PC' }, 400, 'invalid_input'],
      ['/v1/auth/login', { nip: NIP.adminA, password: 'x', deviceName: 'PC', deviceId: '6f1c1d52-8f43-4c59-9d0e-5f3c2b1a0e9d' }, 400, 'invalid_input'],
      ['/v1/auth/login/totp', { stepToken: 'x', code: '123456', recoveryCode: 'AAAA-BBBB-CCCC-DDDD' }, 400, 'invalid_input'],
      ['/v1/auth/login/totp', { stepToken: 'forged.token', code: '123456' }, 401, 'unauthenticated'],
      ['/v1/auth/refresh', { refreshToken: 'x', sessionId: 1 }, 400, 'unknown_field'],
      ['/v1/auth/reset/request', [], 400, 'invalid_input'],
    ];
    for (const [path, body, status, code] of cases) {
      const res = await post(path, body);
      expect([path, res.status, res.body.error?.code]).toEqual([path, status, code]);
    }
  });

  it('limits requests per NIP and per client address, with Retry-After, across nodes', async () => {
    const limited = await startTestServer(kind, { now: () => clock, rateLimit: { windowSeconds: 60, perAddress: 3, perNip: 2 } });
    // A second node on the same database (PostgreSQL only: PGlite is one process's).
    const nodes = [limited.url];
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    if (kind === 'postgres') {
      second = await startServer(limited.config, { now: () => clock, logger: false });
      nodes.push(second.url);
    }
    try {
      clock = Math.ceil(clock / 60_000) * 60_000 + 1000; // the start of a window
      const request = (i: number, nip: string) =>
        fetch(`${nodes[i % nodes.length]}/v1/auth/reset/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nip, email: 'a@b.id' }) });
      expect((await request(0, NIP.adminA)).status).toBe(202);
      expect((await request(1, NIP.adminA)).status).toBe(202);
      const perNip = await request(2, NIP.adminA);
      expect(perNip.status).toBe(429);
      expect(perNip.headers.get('retry-after')).toBe('59');
      expect(((await perNip.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      // Another NIP from the same address: the address has made 3 requests, the 4th is over.
      const perAddress = await request(3, NIP.clerkA);
      expect(perAddress.status).toBe(429);
      // Another route counts on its own.
      expect((await limited.call('POST', '/v1/auth/refresh', { body: { refreshToken: 'x' } })).status).toBe(401);
      tick(59);
      expect((await request(0, NIP.adminA)).status).toBe(202);
    } finally {
      await second?.close();
      await limited.close();
    }
  });
});

describe('logs', () => {
  it('carry requests at trace level but never a password, a code or a token', async () => {
    let output = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'lemari-auth-logs-'));
    const db = await openDb({ dataDir: 'memory://' });
    const server = await startServer(loadConfig({ 'data-dir': dir, port: '0' }, {}), { db, logger: { level: 'trace', stream } });
    const post = async (path: string, body: unknown) => {
      const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    };
    const password = 'rahasia sekali jangan dicatat';
    const secret = toBase32(randomBytes(20));
    try {
      await db.query("insert into instansi (id, name) values ('L1', 'Log')");
      await db.query("insert into users (instansi_id, nip, name, role, status, password_hash, totp_secret) values ('L1', $1, 'Log', 'clerk', 'active', $2, $3)", [
        NIP.clerkA,
        await passwords.hash(password),
        server.deps.sealer.seal(sealPurpose.totp(NIP.clerkA), secret),
      ]);
      expect((await post('/v1/auth/login', { nip: NIP.clerkA, password: 'tebakan yang keliru', deviceName: 'PC' })).status).toBe(401);
      const step = await post('/v1/auth/login', { nip: NIP.clerkA, password, deviceName: 'PC' });
      const code = totpCode(fromBase32(secret), new Date());
      const session = await post('/v1/auth/login/totp', { stepToken: step.body.stepToken, code });
      expect(session.status).toBe(200);
      const refreshed = await post('/v1/auth/refresh', { refreshToken: session.body.refreshToken });
      expect((await post('/v1/auth/reset/confirm', { nip: NIP.clerkA, code: '1234 5678', newPassword: 'kata sandi baru yang panjang' })).status).toBe(401);
      await server.close(); // flushes the log
      expect(output).toMatch(/"url":"\/v1\/auth\/login\/totp"/);
      for (const secretText of [password, 'tebakan yang keliru', 'kata sandi baru', code, step.body.stepToken, session.body.accessToken, session.body.refreshToken, refreshed.body.refreshToken]) {
        expect(output).not.toContain(secretText);
      }
    } finally {
      await server.close(); // again, when an assertion failed before the first
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
