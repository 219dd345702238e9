// Accounts kept by an instansi's admin (users.*), on both databases: the admin makes a
// clerk's account and the activation code reaches the clerk by real SMTP (never the admin's
// answer), the clerk activates and logs in; disabling the account stops its tokens at once
// and its refresh tokens for good; enabling it lets the holder log in again; an admin
// cannot change their own account; another instansi's account answers like a missing one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase32, totpCode } from '../../../common/auth/totp';
import { sealPurpose } from '../../../server/auth/sealing';
import { startSmtpReceiver, type SmtpReceiver } from '../../helpers/smtp';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';

const T0 = Date.UTC(2026, 10, 25, 2, 0, 15);
const PASSWORD = 'arsip kepegawaian rapi sekali';
const CLERK = { nip: '199001012015031001', name: 'Rina  Wulandari', email: 'rina@contoh.go.id', role: 'clerk' } as const;

describe.each<TestDbKind>(['pglite', 'postgres'])('accounts kept by the admin on %s', (kind) => {
  let server: TestServer;
  let smtp: SmtpReceiver;
  let admin: SeededUser;
  let otherAdmin: SeededUser;
  const ADMIN_NIP = '198001012005011001';
  const OTHER_ADMIN_NIP = '198001012005011003';
  let clock = T0;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    server = await startTestServer(kind, { now: () => clock, env: { SMTP_URL: smtp.url } });
    await server.instansi('A1');
    await server.instansi('B1');
    admin = await server.user({ instansiId: 'A1', nip: ADMIN_NIP, role: 'admin' });
    otherAdmin = await server.user({ instansiId: 'B1', nip: OTHER_ADMIN_NIP, role: 'admin' });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const asAdmin = (method: string, path: string, body?: unknown, token = admin.token) => server.call(method, path, { token, body });

  /** Activation as the clerk does it at a workstation: the mailed code, a password, the authenticator. */
  async function activate(code: string): Promise<Uint8Array> {
    const confirmed = await server.call('POST', '/v1/auth/reset/confirm', { body: { nip: CLERK.nip, code, newPassword: PASSWORD } });
    expect(confirmed.body.next).toBe('enrol');
    const enrolment = await server.call('POST', '/v1/auth/mfa/enrol', { body: { stepToken: confirmed.body.stepToken } });
    const secret = fromBase32(enrolment.body.secret);
    expect((await server.call('POST', '/v1/auth/mfa/activate', { body: { stepToken: confirmed.body.stepToken, code: totpCode(secret, new Date(clock)) } })).status).toBe(200);
    return secret;
  }

  async function login(secret: Uint8Array) {
    clock += 30_000; // each authenticator step is accepted once
    const step = await server.call('POST', '/v1/auth/login', { body: { nip: CLERK.nip, password: PASSWORD, deviceName: 'PC Arsip 1' } });
    if (step.status !== 200) return step;
    return server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: totpCode(secret, new Date(clock)) } });
  }

  it('makes a pending account whose activation code goes to the holder by e-mail, not to the admin', async () => {
    const made = await asAdmin('POST', '/v1/users', CLERK);
    expect(made.status).toBe(201);
    expect(made.body.user).toMatchObject({ nip: CLERK.nip, name: 'Rina Wulandari', email: CLERK.email, role: 'clerk', status: 'pending' });
    expect(Date.parse(made.body.activationCodeExpiresAt) - clock).toBe(72 * 3_600_000);
    expect(JSON.stringify(made.body)).not.toMatch(/\b\d{4} \d{4}\b/);

    const mail = await smtp.waitFor((m) => m.to.includes(CLERK.email));
    expect(mail.subject).toBe('Akun Lemari Anda / Your Lemari account');
    expect(mail.text).toContain('Admin Instansi A1');
    const code = /^\s+(\d{4} \d{4})$/m.exec(mail.text)?.[1];
    expect(code).toBeDefined();

    const secret = await activate(code!);
    const session = await login(secret);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ nip: CLERK.nip, role: 'clerk', instansi: { id: 'A1' } });

    const listed = (await asAdmin('GET', '/v1/users')).body.users;
    expect(listed.map((u: { nip: string; status: string }) => [u.nip, u.status])).toEqual([
      [ADMIN_NIP, 'active'],
      [CLERK.nip, 'active'],
    ]);
  });

  it('refuses a NIP that has an account already, in any instansi, and a bad e-mail, storing nothing', async () => {
    expect((await asAdmin('POST', '/v1/users', CLERK)).body.error.code).toBe('conflict');
    const elsewhere = await asAdmin('POST', '/v1/users', CLERK, otherAdmin.token);
    expect(elsewhere.status).toBe(409);
    const bad = await asAdmin('POST', '/v1/users', { ...CLERK, nip: '199001012015031002', email: 'bukan-email' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect((await asAdmin('GET', '/v1/users')).body.users).toHaveLength(2);
    expect((await asAdmin('GET', '/v1/users', undefined, otherAdmin.token)).body.users.map((u: { nip: string }) => u.nip)).toEqual([OTHER_ADMIN_NIP]);
  });

  it('disables an account: its access token stops at once, its refresh token for good; enabled, it logs in again', async () => {
    const code = await (async () => {
      // A fresh session of the clerk, logged in before the admin acts.
      const row = await server.deps.db.query<{ totp_secret: string }>('select totp_secret from users where nip = $1', [CLERK.nip]);
      return fromBase32(server.deps.sealer.open(sealPurpose.totp(CLERK.nip), row.rows[0].totp_secret));
    })();
    const session = (await login(code)).body;
    const mine = () => server.call('GET', '/v1/documents/changes', { token: session.accessToken });
    expect((await mine()).status).toBe(200);

    const disabled = await asAdmin('PATCH', `/v1/users/${CLERK.nip}`, { status: 'disabled' });
    expect(disabled.body.user.status).toBe('disabled');
    expect((await mine()).body.error.code).toBe('session_revoked');
    expect((await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    expect((await login(code)).body.error.code).toBe('invalid_credentials');

    const enabled = await asAdmin('PATCH', `/v1/users/${CLERK.nip}`, { status: 'active', role: 'verifier' });
    expect(enabled.body.user).toMatchObject({ status: 'active', role: 'verifier' });
    // The old refresh token stays spent; a new login works, as a verifier now.
    expect((await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    const again = await login(code);
    expect(again.status).toBe(200);
    expect(again.body.user.role).toBe('verifier');
  });

  it('enables a never-activated account as pending, not active', async () => {
    const nip = '199001012015031003';
    await asAdmin('POST', '/v1/users', { ...CLERK, nip, email: 'tiga@contoh.go.id' });
    await asAdmin('PATCH', `/v1/users/${nip}`, { status: 'disabled' });
    expect((await asAdmin('PATCH', `/v1/users/${nip}`, { status: 'active' })).body.user.status).toBe('pending');
  });

  it('does not let an admin change their own account', async () => {
    const res = await asAdmin('PATCH', `/v1/users/${ADMIN_NIP}`, { role: 'clerk' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await asAdmin('GET', '/v1/users')).body.users.find((u: { nip: string }) => u.nip === ADMIN_NIP).role).toBe('admin');
  });

  it("answers another instansi's account exactly like a missing one, and leaves it unchanged", async () => {
    const theirs = await asAdmin('PATCH', `/v1/users/${CLERK.nip}`, { status: 'disabled' }, otherAdmin.token);
    const missing = await asAdmin('PATCH', '/v1/users/199001012015031099', { status: 'disabled' }, otherAdmin.token);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(missing.body);
    expect((await asAdmin('GET', '/v1/users')).body.users.find((u: { nip: string }) => u.nip === CLERK.nip).status).toBe('active');
  });
});
