// Online activation of a workstation account against a real central server on port 0
// (PGlite), through the contract as the UI calls it: the e-mailed code (read from the
// server's mail folder), a new password, the authenticator, the recovery codes, a login
// with a fresh code. Then the profile is closed, the server STOPPED, and the same password
// with the authenticator's next code still logs in: the local account is real. Plus the
// messages a clerk sees for a wrong code, a weak password, a rate limit and no network, and
// the refresh token sealed at rest. Codes come from `oathtool`, an independent generator.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../common/contract';
import { readServerSession } from '../../main/core/auth';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import type { Profile } from '../../main/profile';
import { openCliProfile } from '../helpers/admin-profile';
import { tempDir } from '../helpers/profile';
import { startTestServer, type TestServer } from '../helpers/server';
import { decodeMessage } from '../helpers/smtp';

const T0 = Date.UTC(2026, 10, 24, 2, 0, 10); // 09:00 WIB, 10 s into a TOTP step
const DEWI = { nip: '199203142019032007', nama: 'Dewi Lestari', email: 'dewi.lestari@contoh.go.id' };
const PASSWORD = 'arsip kepegawaian rapi sekali';

let now = T0;
const clock = { now: () => new Date(now) };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The code `oathtool` shows at `ms` for a base32 secret. */
function oathtool(secret: string, ms = now): string {
  const when = new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return execFileSync('oathtool', ['--totp', '-b', '--now', `${when} UTC`, secret], { encoding: 'utf8' }).trim();
}

async function centralServer(overrides: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  const started = await startTestServer('pglite', { now: () => now, ...overrides });
  // Stopped by a test (the offline login) or at the end, once.
  let closing: Promise<void> | undefined;
  const server: TestServer = { ...started, close: () => (closing ??= started.close()) };
  cleanups.push(() => server.close());
  await server.instansi('A1', 'BKD Kota Contoh');
  return server;
}

async function pendingAccount(server: TestServer, account: { nip: string; nama: string; email: string }, role = 'clerk'): Promise<void> {
  await server.deps.db.query("insert into users (instansi_id, nip, name, email, role, status) values ('A1', $1, $2, $3, $4, 'pending')", [account.nip, account.nama, account.email, role]);
}

/** The newest activation code the server mailed to `email` (the folder mailer writes .eml files). */
async function mailedCode(server: TestServer, email: string, seen: Set<string>): Promise<string> {
  const dir = (server.config.mail as { dir: string }).dir;
  for (let waited = 0; waited < 5000; waited += 20) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((name) => name.endsWith('.eml') && !seen.has(name));
    } catch {
      // the folder appears with the first mail
    }
    for (const name of files) {
      const raw = readFileSync(join(dir, name), 'utf8');
      if (!new RegExp(`^To: ${email.replace(/\./g, '\\.')}$`, 'm').test(raw)) continue;
      seen.add(name);
      const code = /\b(\d{4} \d{4})\b/.exec(decodeMessage(raw).text)?.[1];
      if (code) return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no activation mail for ${email}`);
}

function workstation(dataDir: string, extra: { fetch?: typeof fetch } = {}) {
  return openCliProfile(dataDir, clock, extra);
}

async function newWorkstation(extra: { fetch?: typeof fetch } = {}): Promise<{ profile: Profile; dataDir: string }> {
  const work = tempDir('lemari-activation-');
  cleanups.push(work.cleanup);
  const dataDir = join(work.dir, 'profil');
  const profile = await workstation(dataDir, extra);
  cleanups.push(() => profile.close().catch(() => {}));
  return { profile, dataDir };
}

type Session = ReturnType<Profile['newSession']>;

function caller(profile: Profile, session: Session = profile.newSession()) {
  const call = (method: MethodName, input: unknown) => profile.api.call(method, input, { session });
  return {
    session,
    call,
    async ok(method: MethodName, input: unknown) {
      const result = await call(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as never;
    },
    /** The error a call answers, which must be one. */
    async refused(method: MethodName, input: unknown) {
      const result = await call(method, input);
      if (result.ok) throw new Error(`${method} succeeded`);
      return result.error;
    },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe('online activation', () => {
  it('activates against the server, then logs in offline with the same password and authenticator after the server is gone', async () => {
    now = T0;
    const server = await centralServer();
    await pendingAccount(server, DEWI);
    const { profile, dataDir } = await newWorkstation();
    const ui = caller(profile);
    const seenMail = new Set<string>();

    // Step 1: a fresh profile takes the server address typed on the activation screen.
    const started = (await ui.ok('activation.requestCode', { serverUrl: `${server.url}/`, nip: DEWI.nip, email: ' Dewi.Lestari@CONTOH.go.id ' })) as { activationId: string; serverUrl: string };
    expect(started.serverUrl).toBe(server.url);
    expect(await ui.ok('auth.status', {})).toMatchObject({ bootstrapped: false, serverUrl: server.url });
    const activationId = started.activationId;
    const code = await mailedCode(server, DEWI.email, seenMail);

    // Step 2: a wrong code and a weak password are refused with their reasons; the activation goes on.
    const wrong = code === '1111 1111' ? '2222 2222' : '1111 1111';
    expect(await ui.refused('activation.setPassword', { activationId, code: wrong, newPassword: PASSWORD })).toEqual({
      code: 'unauthenticated',
      message: 'Kode dari e-mail salah, sudah kedaluwarsa (berlaku 15 menit), atau sudah dipakai; periksa lagi atau minta kode baru',
    });
    expect(await ui.refused('activation.setPassword', { activationId, code, newPassword: 'password123' })).toEqual({
      code: 'invalid_input',
      message: 'Kata sandi ini termasuk yang paling sering dipakai atau pernah bocor; pilih yang lain',
    });
    const set = (await ui.ok('activation.setPassword', { activationId, code, newPassword: PASSWORD })) as { next: string; enrolment: { uri: string; secret: string; qrSvg: string } };
    expect(set.next).toBe('enrol');
    expect(set.enrolment.uri).toBe(`otpauth://totp/Lemari:${DEWI.nip}?secret=${set.enrolment.secret}&issuer=Lemari`);
    expect(set.enrolment.qrSvg).toMatch(/^<svg/);
    const secret = set.enrolment.secret;

    // Step 3: the authenticator, activated on the server with a code from the app.
    expect(await ui.refused('activation.confirmMfa', { activationId, code: '000000' === oathtool(secret) ? '111111' : '000000' })).toMatchObject({ message: expect.stringMatching(/^Kode autentikator salah/) });
    const { recoveryCodes } = (await ui.ok('activation.confirmMfa', { activationId, code: oathtool(secret) })) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);

    // Step 4: the code just used cannot log in; the next one does, online, and signs the window in.
    expect(await ui.refused('activation.login', { activationId, code: oathtool(secret) })).toMatchObject({ message: expect.stringContaining('sudah dipakai untuk mendaftarkan autentikator') });
    now += 30_000;
    const loggedIn = await ui.ok('activation.login', { activationId, code: oathtool(secret) });
    expect(loggedIn).toMatchObject({ user: { nip: DEWI.nip, nama: DEWI.nama, role: 'clerk' }, mustChangePassword: false, needsEnrolment: false, replacedLocalAccount: false });
    expect(await ui.call('search.query', { text: '' })).toMatchObject({ ok: true });
    // The activation is used up.
    expect(await ui.refused('activation.login', { activationId, code: oathtool(secret, now + 30_000) })).toMatchObject({ message: expect.stringMatching(/^Waktu aktivasi habis/) });

    // The server session is kept sealed: it opens with the profile's secret store, and works.
    const userId = (loggedIn as { user: { id: number } }).user.id;
    const stored = readServerSession(profile.db, new KeyFileSecretStore(dataDir), userId)!;
    expect(stored).toMatchObject({ serverUrl: server.url, instansi: { id: 'A1', name: 'BKD Kota Contoh' } });
    const sealedColumn = (profile.db.prepare('SELECT session_enc FROM server_sessions WHERE user_id = ?').get(userId) as { session_enc: Buffer }).session_enc;
    expect(sealedColumn.includes(Buffer.from(stored.refreshToken))).toBe(false);
    expect(sealedColumn.includes(Buffer.from(stored.deviceId))).toBe(false);
    const refreshed = await server.call('POST', '/v1/auth/refresh', { body: { refreshToken: stored.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.deviceId).toBe(stored.deviceId);

    // The audit log names every step and never holds the password, the codes or the token.
    const auditText = JSON.stringify(profile.db.prepare('SELECT actor, action, nip, detail FROM audit_log ORDER BY id').all());
    for (const action of ['settings.changed', 'auth.activation_requested', 'auth.activation_failed', 'auth.activation_password_set', 'auth.activation_mfa_enrolled', 'user.activated_online', 'auth.login']) {
      expect(auditText, action).toContain(action);
    }
    for (const secretText of [PASSWORD, code, secret, stored.refreshToken, ...recoveryCodes]) expect(auditText).not.toContain(secretText);

    // Nothing of the refresh token, the password or the TOTP secret is readable in the profile's files.
    await profile.close();
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      for (const text of [stored.refreshToken, PASSWORD, secret]) expect(bytes.includes(Buffer.from(text)), `${file} holds a secret`).toBe(false);
    }

    // The server goes away; the same password and the authenticator's next code log in offline.
    await server.close();
    const reopened = await workstation(dataDir);
    cleanups.push(() => reopened.close().catch(() => {}));
    now += 30_000;
    const offline = caller(reopened);
    const begun = (await offline.ok('auth.beginLogin', { nip: DEWI.nip, password: PASSWORD })) as { next: string; ticket: string };
    expect(begun.next).toBe('code');
    expect(await offline.ok('auth.completeLogin', { ticket: begun.ticket, code: oathtool(secret) })).toMatchObject({ user: { nip: DEWI.nip, nama: DEWI.nama, role: 'clerk' } });
    expect(await offline.call('documents.list', {})).toMatchObject({ ok: true });
    // One of the server's recovery codes works here too (stored hashed locally).
    const lostPhone = caller(reopened);
    const again = (await lostPhone.ok('auth.beginLogin', { nip: DEWI.nip, password: PASSWORD })) as { ticket: string };
    expect(await lostPhone.ok('auth.completeLoginWithRecoveryCode', { ticket: again.ticket, recoveryCode: recoveryCodes[4] })).toMatchObject({ recoveryCodesLeft: 9 });

    // Without the server, a new activation says that it needs the network, and that login works offline.
    expect(await caller(reopened).refused('activation.requestCode', { nip: DEWI.nip, email: DEWI.email })).toEqual({
      code: 'io',
      message: `Server pusat (${server.url}) tidak dapat dihubungi. Aktivasi akun memerlukan jaringan; periksa koneksi lalu coba lagi. Setelah akun aktif, masuk ke Lemari tetap bisa tanpa jaringan.`,
    });
  });

  it('replaces the password and authenticator of an existing local account, keeps the address an admin set, and resets a forgotten password', async () => {
    now = T0 + 3_600_000;
    const server = await centralServer();
    const ADMIN = { nip: '198001012005011001', nama: 'Siti Rahayu', email: 'siti@contoh.go.id' };
    await pendingAccount(server, ADMIN, 'admin');
    const { profile } = await newWorkstation();

    // The profile started offline: its first admin was bootstrapped locally.
    const admin = caller(profile);
    const { enrolment } = (await admin.ok('auth.bootstrap', { nip: ADMIN.nip, nama: 'Siti R.', password: 'lemari kayu jati tua' })) as { enrolment: { secret: string } };
    await admin.ok('auth.confirmEnrolment', { code: oathtool(enrolment.secret) });

    // Once the profile has accounts, nobody at the sign-in screen may set or change the address.
    expect(await caller(profile).refused('activation.requestCode', { serverUrl: server.url, nip: ADMIN.nip, email: ADMIN.email })).toEqual({
      code: 'forbidden',
      message: 'Alamat server pusat belum diatur di profil ini; minta admin Lemari mengaturnya di Pengaturan',
    });
    expect(await admin.refused('settings.update', { serverUrl: 'ftp://dms.example.go.id' })).toMatchObject({ code: 'invalid_input' });
    expect(await admin.ok('settings.update', { serverUrl: server.url })).toMatchObject({ serverUrl: server.url });
    expect(await caller(profile).refused('activation.requestCode', { serverUrl: 'https://dms.lain.example.go.id', nip: ADMIN.nip, email: ADMIN.email })).toMatchObject({
      code: 'forbidden',
      message: `Profil ini memakai server pusat ${server.url}; hanya admin yang dapat mengubahnya di Pengaturan`,
    });

    const ui = caller(profile);
    const { activationId } = (await ui.ok('activation.requestCode', { nip: ADMIN.nip, email: ADMIN.email })) as { activationId: string };
    const seen = new Set<string>();
    const code = await mailedCode(server, ADMIN.email, seen);
    const { enrolment: online } = (await ui.ok('activation.setPassword', { activationId, code, newPassword: PASSWORD })) as { enrolment: { secret: string } };
    expect(online.secret).not.toBe(enrolment.secret);
    await ui.ok('activation.confirmMfa', { activationId, code: oathtool(online.secret) });
    now += 30_000;
    expect(await ui.ok('activation.login', { activationId, code: oathtool(online.secret) })).toMatchObject({
      user: { nip: ADMIN.nip, nama: ADMIN.nama, role: 'admin' },
      replacedLocalAccount: true,
    });

    // The server is the authority now: the old password and the old authenticator are gone.
    now += 30_000;
    const old = caller(profile);
    expect(await old.refused('auth.beginLogin', { nip: ADMIN.nip, password: 'lemari kayu jati tua' })).toMatchObject({ message: 'NIP atau kata sandi salah' });
    const begun = (await old.ok('auth.beginLogin', { nip: ADMIN.nip, password: PASSWORD })) as { ticket: string };
    expect(await old.refused('auth.completeLogin', { ticket: begun.ticket, code: oathtool(enrolment.secret) })).toMatchObject({ message: 'Kode autentikator salah' });
    expect(await old.ok('auth.completeLogin', { ticket: begun.ticket, code: oathtool(online.secret) })).toMatchObject({ user: { nip: ADMIN.nip } });
    expect(((await old.ok('users.list', {})) as unknown[]).length).toBe(1);

    // Forgotten password: activating again resets it on the server, which keeps its
    // authenticator; the local account holds the same one, so the login's code opens both.
    now += 30_000;
    const reset = caller(profile);
    const again = (await reset.ok('activation.requestCode', { nip: ADMIN.nip, email: ADMIN.email })) as { activationId: string };
    const resetCode = await mailedCode(server, ADMIN.email, seen);
    expect(await reset.ok('activation.setPassword', { activationId: again.activationId, code: resetCode, newPassword: 'kata sandi baru siti 2027' })).toEqual({ next: 'login' });
    expect(await reset.ok('activation.login', { activationId: again.activationId, code: oathtool(online.secret) })).toMatchObject({ user: { nip: ADMIN.nip }, replacedLocalAccount: true });
    now += 30_000;
    expect(await caller(profile).call('auth.beginLogin', { nip: ADMIN.nip, password: PASSWORD })).toMatchObject({ ok: false });
    expect(await caller(profile).call('auth.beginLogin', { nip: ADMIN.nip, password: 'kata sandi baru siti 2027' })).toMatchObject({ ok: true, value: { next: 'code' } });
  });

  it('says when the server already holds an authenticator this workstation does not have', async () => {
    now = T0 + 7_200_000;
    const server = await centralServer();
    const account = await server.account({ instansiId: 'A1', nip: '198604052010012008', email: 'rudi@contoh.go.id' });
    const { profile } = await newWorkstation();
    const ui = caller(profile);
    const { activationId } = (await ui.ok('activation.requestCode', { serverUrl: server.url, nip: account.nip, email: 'rudi@contoh.go.id' })) as { activationId: string };
    const code = await mailedCode(server, 'rudi@contoh.go.id', new Set());
    expect(await ui.refused('activation.setPassword', { activationId, code, newPassword: PASSWORD })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^Akun ini sudah punya aplikasi autentikator di server pusat/),
    });
    expect(await ui.ok('auth.status', {})).toMatchObject({ bootstrapped: false, session: null });
  });

  it('tells the clerk to wait when the server rate-limits, with the wait', async () => {
    now = T0 + 10_800_000;
    const server = await centralServer({ rateLimit: { windowSeconds: 60, perAddress: 0, perNip: 2 } });
    await pendingAccount(server, DEWI);
    const { profile } = await newWorkstation();
    const ask = () => caller(profile).call('activation.requestCode', { serverUrl: server.url, nip: DEWI.nip, email: DEWI.email });
    expect(await ask()).toMatchObject({ ok: true });
    expect(await ask()).toMatchObject({ ok: true });
    const limited = await ask();
    expect(limited).toEqual({ ok: false, error: { code: 'io', message: expect.stringMatching(/^Terlalu banyak permintaan ke server pusat; tunggu (\d+) detik lalu coba lagi$/) } });
    const seconds = Number(/tunggu (\d+) detik/.exec((limited as { error: { message: string } }).error.message)![1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('maps the server refusing a password and an address that is not a Lemari server to clear messages', async () => {
    now = T0;
    // A stand-in that answers like the server would: the code is accepted, the password refused as personal.
    const fake: typeof fetch = async (input) => {
      const url = String(input);
      if (url.endsWith('/v1/auth/reset/request')) return Response.json({ accepted: true }, { status: 202 });
      if (url.endsWith('/v1/auth/reset/confirm')) {
        return Response.json({ error: { code: 'invalid_input', message: 'The new password cannot be used (personal).', details: { field: 'newPassword', reason: 'personal' } } }, { status: 400 });
      }
      return new Response('<html>It works!</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    };
    const { profile } = await newWorkstation({ fetch: fake });
    const ui = caller(profile);
    expect(await ui.refused('activation.requestCode', { serverUrl: 'dms.bkd.go.id', nip: DEWI.nip, email: DEWI.email })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^Alamat server harus diawali http/) });
    expect(await ui.refused('activation.requestCode', { serverUrl: 'https://dms.bkd.example.go.id', nip: DEWI.nip, email: 'bukan-email' })).toMatchObject({ message: 'Alamat e-mail tidak sah' });
    const { activationId } = (await ui.ok('activation.requestCode', { serverUrl: 'https://dms.bkd.example.go.id', nip: DEWI.nip, email: DEWI.email })) as { activationId: string };
    expect(await ui.refused('activation.setPassword', { activationId, code: '1234 5678', newPassword: 'kereta malam ke surabaya' })).toEqual({
      code: 'invalid_input',
      message: 'Kata sandi tidak boleh memuat NIP, tanggal lahir, atau nama Anda',
    });

    const impostor = await newWorkstation({ fetch: async () => new Response('<html>It works!</html>', { status: 200 }) });
    expect(await caller(impostor.profile).refused('activation.requestCode', { serverUrl: 'https://intranet.example.go.id', nip: DEWI.nip, email: DEWI.email })).toEqual({
      code: 'io',
      message: 'Alamat https://intranet.example.go.id tidak menjawab sebagai server Lemari; periksa alamatnya',
    });
  });
});
