// The instansi admin keeps the central server's accounts from the workstation (serverAccounts.*),
// on both databases: a real server on a loopback port with a real SMTP receiver, and a profile
// whose local admin logged in to that server as its admin (the refresh token sealed as online
// activation leaves it). The admin lists the accounts, makes a clerk's (the activation code
// reaches the clerk's mailbox, never the admin's screen or the local audit log), disables and
// enables it; their own account, a NIP taken, a server that is down, a profile without a
// server session and a revoked session each answer a message the admin can act on.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../common/contract';
import { fromBase32, totpCode } from '../../common/auth/totp';
import type { Session } from '../../main/access';
import { sealedSessionStore } from '../../main/core/sync';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { resourcesDir, tempDir } from '../helpers/profile';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../helpers/server';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp';

const T0 = Date.UTC(2026, 10, 25, 2, 0, 15);
const ADMIN = { nip: '198001012005011001', email: 'admin@bkd.contoh.go.id' };
const CLERK = { nip: '199001012015031001', name: 'Rina Wulandari', email: 'rina@contoh.go.id', role: 'clerk' } as const;
const PASSWORD = 'arsip kepegawaian rapi sekali';

/** An address where nothing listens: a port that was just free. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return `http://127.0.0.1:${port}`;
}

describe.each<TestDbKind>(['pglite', 'postgres'])('server accounts from the workstation on %s', (kind) => {
  let server: TestServer;
  let smtp: SmtpReceiver;
  let profile: Profile;
  let settings: ConfSettingsStore;
  let session: Session;
  let localAdminId: number;
  let otherAdmin: SeededUser;
  let work: { dir: string; cleanup: () => void };
  const clock = { now: T0 };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    server = await startTestServer(kind, { now: () => clock.now, env: { SMTP_URL: smtp.url } });
    await server.instansi('A1', 'BKD Kota Contoh');
    otherAdmin = await server.user({ instansiId: 'A1', nip: '198001012005011003', role: 'admin' });
    // The admin logs in to the server once, as online activation does ...
    const account = await server.account({ instansiId: 'A1', nip: ADMIN.nip, role: 'admin', email: ADMIN.email, password: PASSWORD });
    const step = await server.call('POST', '/v1/auth/login', { body: { nip: ADMIN.nip, password: PASSWORD, deviceName: 'PC Arsip 1' } });
    const login = await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: account.code() } });
    if (login.status !== 200) throw new Error(`server login: ${login.status} ${JSON.stringify(login.body)}`);

    // ... and is the workstation's admin under the same NIP, with that session sealed.
    work = tempDir('lemari-server-accounts-');
    const dataDir = join(work.dir, 'profil');
    settings = new ConfSettingsStore(dataDir);
    settings.set({ serverUrl: server.url });
    profile = await openProfile({
      dataDir,
      host: 'cli',
      resourcesDir,
      settings,
      secrets: new KeyFileSecretStore(dataDir),
      logger: { error: () => {}, info: () => {} },
      clock: { now: () => new Date(clock.now) },
    });
    session = profile.newSession();
    const boot = (await ok('auth.bootstrap', { nip: ADMIN.nip, nama: 'Admin Arsip', password: PASSWORD })) as { user: { id: number }; enrolment: { secret: string } };
    await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(boot.enrolment.secret), new Date(clock.now)) });
    localAdminId = boot.user.id;
    sealedSessionStore(profile.db, new KeyFileSecretStore(dataDir)).write(localAdminId, {
      serverUrl: server.url,
      deviceId: login.body.deviceId,
      instansi: login.body.user.instansi,
      refreshToken: login.body.refreshToken,
      refreshTokenExpiresAt: login.body.refreshTokenExpiresAt,
      savedAt: new Date(clock.now).toISOString(),
    });
  });

  afterAll(async () => {
    await profile?.close();
    await server?.close();
    await smtp?.close();
    work?.cleanup();
  });

  async function ok(method: MethodName, input: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- each test reads the answer it expects
    const result = await profile.api.call(method, input, { session });
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  async function refused(method: MethodName, input: unknown): Promise<{ code: string; message: string }> {
    const result = await profile.api.call(method, input, { session });
    if (result.ok) throw new Error(`${method} succeeded`);
    return result.error;
  }

  async function auditOf(action: string): Promise<{ nip: string | null; detail: Record<string, unknown> }[]> {
    return ((await ok('audit.list', { action, limit: 50, offset: 0 })) as { items: { nip: string | null; detail: Record<string, unknown> }[] }).items;
  }

  it('lists the accounts, makes a clerk whose code is mailed to the clerk only, then disables and enables it', async () => {
    const before = (await ok('serverAccounts.list', {})) as { nip: string; role: string; status: string }[];
    expect(before.map((a) => [a.nip, a.role, a.status])).toEqual([
      [ADMIN.nip, 'admin', 'active'],
      ['198001012005011003', 'admin', 'active'],
    ]);

    const made = await ok('serverAccounts.create', CLERK);
    expect(made.account).toMatchObject({ nip: CLERK.nip, name: CLERK.name, email: CLERK.email, role: 'clerk', status: 'pending' });
    expect(Date.parse(made.activationCodeExpiresAt) - clock.now).toBe(72 * 3600_000);
    const mail = await smtp.waitFor((m) => m.to.includes(CLERK.email));
    const code = /^\s+(\d{4} \d{4})$/m.exec(mail.text)?.[1];
    expect(code).toMatch(/^\d{4} \d{4}$/);
    // The code is the holder's: not in the admin's answer, not in the local audit log.
    expect(JSON.stringify(made)).not.toContain(code!);
    expect(JSON.stringify(made)).not.toContain(code!.replace(' ', ''));
    const created = await auditOf('server_accounts.created');
    expect(created).toEqual([expect.objectContaining({ nip: CLERK.nip, detail: expect.objectContaining({ role: 'clerk', email: CLERK.email }) })]);
    expect(JSON.stringify(created)).not.toContain(code!);

    const listed = (await ok('serverAccounts.list', {})) as { nip: string }[];
    expect(listed.map((a) => a.nip)).toContain(CLERK.nip);

    const verifier = await ok('serverAccounts.update', { nip: CLERK.nip, role: 'verifier' });
    expect(verifier).toMatchObject({ nip: CLERK.nip, role: 'verifier', status: 'pending' });
    const disabled = await ok('serverAccounts.update', { nip: CLERK.nip, status: 'disabled' });
    expect(disabled.status).toBe('disabled');
    // The server holds it: the clerk's activation code no longer opens the account.
    const confirm = await server.call('POST', '/v1/auth/reset/confirm', { body: { nip: CLERK.nip, code, newPassword: 'kata sandi baru klerk arsip' } });
    expect(confirm.status).toBeGreaterThanOrEqual(400);
    // Enabled again, an account never activated is pending, not active.
    expect((await ok('serverAccounts.update', { nip: CLERK.nip, status: 'active' })).status).toBe('pending');

    const updates = await auditOf('server_accounts.updated');
    expect(updates.map((u) => u.detail)).toEqual([
      { status: 'active', nowStatus: 'pending' },
      { status: 'disabled', nowStatus: 'disabled' },
      { role: 'verifier', nowStatus: 'pending' },
    ]);
    expect((await auditOf('server_accounts.listed')).length).toBeGreaterThanOrEqual(2);
  });

  it('answers the server\'s reasons in Indonesian: a NIP that has an account, the admin\'s own account, a missing one', async () => {
    const taken = await refused('serverAccounts.create', { ...CLERK, name: 'Orang Lain', email: 'lain@contoh.go.id' });
    expect(taken).toEqual({ code: 'conflict', message: `NIP ${CLERK.nip} sudah punya akun di server pusat` });

    const own = await refused('serverAccounts.update', { nip: ADMIN.nip, status: 'disabled' });
    expect(own.code).toBe('forbidden');
    expect(own.message).toContain('tidak dapat mengubah akunnya sendiri');
    const mine = ((await ok('serverAccounts.list', {})) as { nip: string; status: string }[]).find((a) => a.nip === ADMIN.nip);
    expect(mine?.status).toBe('active');

    const missing = await refused('serverAccounts.update', { nip: '199501012020121001', role: 'verifier' });
    expect(missing).toEqual({ code: 'not_found', message: 'Akun 199501012020121001 tidak ada di instansi Anda di server pusat' });
    const refusals = await auditOf('server_accounts.refused');
    expect(refusals.map((r) => [r.nip, r.detail.call, r.detail.server])).toEqual([
      ['199501012020121001', 'update', 'not_found'],
      [ADMIN.nip, 'update', 'forbidden'],
      [CLERK.nip, 'create', 'conflict'],
    ]);
  });

  it('says the server cannot be reached when it is down, with no stack trace', async () => {
    const down = await closedPortUrl();
    settings.set({ serverUrl: down });
    try {
      const offline = await refused('serverAccounts.list', {});
      expect(offline).toEqual({ code: 'io', message: `Server pusat (${down}) tidak dapat dihubungi; periksa jaringan lalu coba lagi` });
    } finally {
      settings.set({ serverUrl: server.url });
    }
    expect((await ok('serverAccounts.list', {})).length).toBe(3);
  });

  it('without a server session, says how to get one; a revoked session says the same', async () => {
    // A session the server revoked: another admin disabled this admin's account (every refresh token ends).
    expect((await server.call('PATCH', `/v1/users/${ADMIN.nip}`, { token: otherAdmin.token, body: { status: 'disabled' } })).status).toBe(200);
    const revoked = await refused('serverAccounts.list', {});
    expect(revoked.code).toBe('unauthenticated');
    expect(revoked.message).toContain('Aktivasi akun (online)');

    // No session at all: the account never activated online on this computer.
    profile.db.prepare('DELETE FROM server_sessions WHERE user_id = ?').run(localAdminId);
    const none = await refused('serverAccounts.create', { ...CLERK, nip: '199202022016032002', email: 'dua@contoh.go.id' });
    expect(none.code).toBe('unauthenticated');
    expect(none.message).toMatch(/^Akun Anda belum punya sesi di server pusat dari komputer ini.*"Aktivasi akun \(online\)" di layar masuk/);
    // Nothing reached the server.
    const { rows } = await server.deps.db.query<{ n: number }>("select count(*)::int as n from users where nip = '199202022016032002'");
    expect(rows[0].n).toBe(0);
  });

  it('is for admins only: a signed-in clerk of the workstation is refused before the server is asked', async () => {
    await ok('users.create', { nip: '199303032017031003', nama: 'Klerk Arsip', role: 'clerk', password: PASSWORD });
    const clerk = profile.newSession();
    const as = async (method: MethodName, input: unknown) => {
      const result = await profile.api.call(method, input, { session: clerk });
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a test reads the answer it expects
    };
    await as('auth.beginLogin', { nip: '199303032017031003', password: PASSWORD });
    const { secret } = await as('auth.startEnrolment', {});
    await as('auth.confirmEnrolment', { code: totpCode(fromBase32(secret), new Date(clock.now)) });
    await as('auth.changePassword', { oldPassword: PASSWORD, newPassword: `${PASSWORD} baru` });
    const result = await profile.api.call('serverAccounts.update', { nip: CLERK.nip, status: 'disabled' }, { session: clerk });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await auditOf('server_accounts.updated')).length).toBe(3);
  });
});
