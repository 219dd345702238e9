// Activation and password reset on both databases: the code travels by real SMTP to a
// local receiver (and, by default, into the mail folder as .eml), the answer to
// reset/request does not tell whether NIP and e-mail matched, codes expire and run out of
// tries, the new password follows the workstation's rules, and the authenticator is
// enrolled and activated before the first login, with recovery codes that work once.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase32, totpCode } from '../../../common/auth/totp';
import { decodeMessage, startSmtpReceiver, type SmtpReceiver } from '../../helpers/smtp';
import { startTestServer, type TestDbKind, type TestServer } from '../../helpers/server';

const T0 = Date.UTC(2026, 2, 2, 1, 0, 15);
const NEW_PASSWORD = 'arsip kepegawaian rapi sekali';

async function pendingAccount(server: TestServer, nip: string, email: string): Promise<number> {
  const { rows } = await server.deps.db.query<{ id: number }>(
    "insert into users (instansi_id, nip, name, email, role, status) values ('A1', $1, 'Dewi Lestari', $2, 'clerk', 'pending') returning id",
    [nip, email],
  );
  return rows[0].id;
}

const codeIn = (text: string) => /\b(\d{4} \d{4})\b/.exec(text)?.[1];

describe.each<TestDbKind>(['pglite', 'postgres'])('activation on %s', (kind) => {
  let smtp: SmtpReceiver;
  let server: TestServer;
  let clock = T0;
  const tick = (seconds: number) => (clock += seconds * 1000);

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    server = await startTestServer(kind, { now: () => clock, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Lemari BKD <lemari@bkd.example.go.id>' } });
    await server.instansi('A1', 'BKD Kota Contoh');
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('activates an account with a code sent by SMTP, then enrols and activates the authenticator', async () => {
    const nip = '199203142019032007';
    await pendingAccount(server, nip, 'dewi.lestari@contoh.go.id');
    const requested = await server.call('POST', '/v1/auth/reset/request', { body: { nip, email: ' Dewi.Lestari@CONTOH.go.id ' } });
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ accepted: true });
    const mail = await smtp.waitFor((m) => m.to.includes('dewi.lestari@contoh.go.id'));
    expect(mail.from).toBe('lemari@bkd.example.go.id');
    expect(mail.subject).toBe('Kode aktivasi Lemari / Lemari activation code');
    expect(mail.text).toMatch(/Kode ini berlaku 15 menit[\s\S]*---[\s\S]*valid for 15 minutes/);
    const code = codeIn(mail.text)!;
    expect(code).toBeDefined();

    // No login before activation: the account has no password yet.
    expect((await server.call('POST', '/v1/auth/login', { body: { nip, password: NEW_PASSWORD, deviceName: 'PC' } })).body.error.code).toBe('invalid_credentials');
    const weak = await server.call('POST', '/v1/auth/reset/confirm', { body: { nip, code, newPassword: 'password123' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ code: 'invalid_input', details: { field: 'newPassword', reason: 'common' } });
    const personal = await server.call('POST', '/v1/auth/reset/confirm', { body: { nip, code, newPassword: `dewi${nip}` } });
    expect(personal.body.error.details.reason).toBe('personal');
    const confirmed = await server.call('POST', '/v1/auth/reset/confirm', { body: { nip, code: code.replace(' ', ''), newPassword: NEW_PASSWORD } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ next: 'enrol', stepToken: expect.any(String) });
    // The code is spent.
    expect((await server.call('POST', '/v1/auth/reset/confirm', { body: { nip, code, newPassword: NEW_PASSWORD } })).body.error.code).toBe('invalid_code');

    const enrolment = await server.call('POST', '/v1/auth/mfa/enrol', { body: { stepToken: confirmed.body.stepToken } });
    expect(enrolment.status).toBe(200);
    const uri = new URL(enrolment.body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Lemari:${nip}`);
    expect(uri.searchParams.get('issuer')).toBe('Lemari');
    expect(uri.searchParams.get('secret')).toBe(enrolment.body.secret);
    const secret = fromBase32(enrolment.body.secret);
    const activate = (code: string) => server.call('POST', '/v1/auth/mfa/activate', { body: { stepToken: confirmed.body.stepToken, code } });
    expect((await activate(totpCode(secret, new Date(clock + 120_000)))).body.error.code).toBe('invalid_code');
    const activated = await activate(totpCode(secret, new Date(clock)));
    expect(activated.status).toBe(200);
    expect(activated.body.recoveryCodes).toHaveLength(10);
    expect(new Set(activated.body.recoveryCodes).size).toBe(10);
    expect((await server.deps.db.query<{ status: string }>('select status from users where nip = $1', [nip])).rows[0].status).toBe('active');
    // Enrolment is over: the step token opens nothing more.
    expect((await server.call('POST', '/v1/auth/mfa/enrol', { body: { stepToken: confirmed.body.stepToken } })).body.error.code).toBe('conflict');

    // The first login, with a recovery code in place of the phone; the code works once.
    const recovery = activated.body.recoveryCodes[3] as string;
    const loginWithRecovery = async () => {
      const step = await server.call('POST', '/v1/auth/login', { body: { nip, password: NEW_PASSWORD, deviceName: 'PC Dewi' } });
      expect(step.body.next).toBe('totp');
      return server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, recoveryCode: recovery.toLowerCase() } });
    };
    const session = await loginWithRecovery();
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ nip, name: 'Dewi Lestari', role: 'clerk', instansi: { id: 'A1' } });
    expect((await loginWithRecovery()).body.error.code).toBe('invalid_code');
    tick(30);
    const step = await server.call('POST', '/v1/auth/login', { body: { nip, password: NEW_PASSWORD, deviceId: session.body.deviceId } });
    const withApp = await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: totpCode(secret, new Date(clock)) } });
    expect(withApp.status).toBe(200);
  });

  it('lets a password-only account enrol from its login, and a forgotten password be reset, ending its sessions', async () => {
    const nip = '198604052010012008';
    await pendingAccount(server, nip, 'rudi@contoh.go.id');
    await server.call('POST', '/v1/auth/reset/request', { body: { nip, email: 'rudi@contoh.go.id' } });
    const first = codeIn((await smtp.waitFor((m) => m.to.includes('rudi@contoh.go.id'))).text)!;
    expect((await server.call('POST', '/v1/auth/reset/confirm', { body: { nip, code: first, newPassword: NEW_PASSWORD } })).body.next).toBe('enrol');
    // Enrolment left for later: the login says so and hands an enrolment step.
    const step = await server.call('POST', '/v1/auth/login', { body: { nip, password: NEW_PASSWORD, deviceName: 'PC Rudi' } });
    expect(step.body.next).toBe('enrol');
    expect((await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: '123456' } })).body.error.code).toBe('unauthenticated');
    const { secret } = (await server.call('POST', '/v1/auth/mfa/enrol', { body: { stepToken: step.body.stepToken } })).body;
    expect((await server.call('POST', '/v1/auth/mfa/activate', { body: { stepToken: step.body.stepToken, code: totpCode(fromBase32(secret), new Date(clock)) } })).status).toBe(200);
    tick(30);
    const login = await server.call('POST', '/v1/auth/login', { body: { nip, password: NEW_PASSWORD, deviceName: 'PC Rudi' } });
    const session = (await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: login.body.stepToken, code: totpCode(fromBase32(secret), new Date(clock)) } })).body;

    // Forgotten: a new code, a new password; the old password and the old session are gone.
    await server.call('POST', '/v1/auth/reset/request', { body: { nip, email: 'rudi@contoh.go.id' } });
    const second = codeIn((await smtp.waitFor((m) => m.to.includes('rudi@contoh.go.id') && codeIn(m.text) !== first)).text)!;
    const reset = await server.call('POST', '/v1/auth/reset/confirm', { body: { nip, code: second, newPassword: 'lemari baru untuk rudi' } });
    expect(reset.body).toEqual({ next: 'login' });
    expect((await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } })).body.error.code).toBe('session_revoked');
    expect((await server.call('POST', '/v1/auth/login', { body: { nip, password: NEW_PASSWORD, deviceName: 'PC' } })).body.error.code).toBe('invalid_credentials');
    // A step token issued under the old password is void.
    expect((await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: login.body.stepToken, code: totpCode(fromBase32(secret), new Date(clock + 30_000)) } })).body.error.code).toBe(
      'unauthenticated',
    );
    expect((await server.call('POST', '/v1/auth/login', { body: { nip, password: 'lemari baru untuk rudi', deviceName: 'PC' } })).body.next).toBe('totp');
  });

  it('lets a code expire after 15 minutes and die after five wrong tries', async () => {
    const nip = '197707072003121009';
    await pendingAccount(server, nip, 'sari@contoh.go.id');
    const request = async () => {
      const before = smtp.mails.length;
      await server.call('POST', '/v1/auth/reset/request', { body: { nip, email: 'sari@contoh.go.id' } });
      return codeIn((await smtp.waitFor((m) => smtp.mails.indexOf(m) >= before && m.to.includes('sari@contoh.go.id'))).text)!;
    };
    const confirm = (code: string) => server.call('POST', '/v1/auth/reset/confirm', { body: { nip, code, newPassword: NEW_PASSWORD } });
    const expiring = await request();
    tick(15 * 60);
    expect((await confirm(expiring)).body.error.code).toBe('invalid_code');

    const tried = await request();
    const wrong = tried === '0000 0000' ? '1111 1111' : '0000 0000';
    for (let i = 0; i < 5; i++) expect((await confirm(wrong)).body.error.code).toBe('invalid_code');
    expect((await confirm(tried)).body.error.code).toBe('invalid_code');
    // A new request gives a new code with fresh tries.
    expect((await confirm(await request())).body.next).toBe('enrol');
  });
});

describe.each<TestDbKind>(['pglite', 'postgres'])('reset/request on %s', (kind) => {
  it('answers the same whether or not NIP and e-mail match, and mails only a match (to the mail folder by default)', async () => {
    const server = await startTestServer(kind);
    try {
      await server.instansi('A1');
      await pendingAccount(server, '199203142019032007', 'dewi.lestari@contoh.go.id');
      const ask = (nip: string, email: string) => server.call('POST', '/v1/auth/reset/request', { body: { nip, email } });
      const answers = [
        await ask('199203142019032007', 'dewi.lestari@contoh.go.id'),
        await ask('199203142019032007', 'orang.lain@contoh.go.id'),
        await ask('196001011985031001', 'dewi.lestari@contoh.go.id'),
      ];
      const shape = (a: (typeof answers)[number]) => ({ status: a.status, body: a.body, type: a.headers.get('content-type'), length: a.headers.get('content-length') });
      expect(shape(answers[1])).toEqual(shape(answers[0]));
      expect(shape(answers[2])).toEqual(shape(answers[0]));
      expect(answers[0].status).toBe(202);
      await server.deps.mailer.close(); // waits for the mails still being written
      const mailDir = (server.config.mail as { dir: string }).dir;
      const files = readdirSync(mailDir).filter((f) => f.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const eml = readFileSync(`${mailDir}/${files[0]}`, 'utf8');
      expect(eml).toMatch(/^To: dewi\.lestari@contoh\.go\.id$/m);
      expect(decodeMessage(eml).text).toMatch(/Kode untuk mengaktifkan akun Lemari[\s\S]*---[\s\S]*The code to activate your Lemari account/);
    } finally {
      await server.close();
    }
  });
});
