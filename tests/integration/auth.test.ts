// The offline login over a real SQLite profile database, the real audit log and a real key
// file, with a fake clock: enrolment, codes from an independent generator (oathtool),
// replay and drift, lockout, recovery codes, roles and account changes.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../main/core/audit';
import { createAuth, loadPasswordBlockList, type LockoutPolicy } from '../../main/core/auth';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { resourcesDir, testDb, translateId } from '../helpers/profile';

const ADMIN = { nip: '199001012015011001', nama: 'Siti Rahayu', password: 'lemari kayu jati tua' };
const CLERK = { nip: '199203032019031003', nama: 'Agus Prasetyo', password: 'sepeda ontel merah' };
const START = Date.parse('2026-11-24T02:00:00Z'); // 09:00 WIB

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

function setup(options: { lockout?: LockoutPolicy } = {}) {
  const { db, dir, cleanup } = testDb();
  cleanups.push(cleanup);
  let now = START;
  const clock = { now: () => new Date(now) };
  const audit = createAuditLog({ db, clock });
  const auth = createAuth({ db, clock, translate: translateId, secrets: new KeyFileSecretStore(dir), audit, blockList: loadPasswordBlockList(resourcesDir), ...options });
  return {
    db,
    dir,
    auth,
    audit,
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    /** Audit entries of one action, oldest first. */
    actions: (action: string) => audit.list({ action, limit: 500, offset: 0 }).items.reverse(),
  };
}

/** The code `oathtool` (OATH Toolkit, an independent implementation) shows at `ms`. */
function oathtool(secret: string, ms: number): string {
  const when = new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return execFileSync('oathtool', ['--totp', '-b', '--now', `${when} UTC`, secret], { encoding: 'utf8' }).trim();
}

async function enrolledAdmin(env: ReturnType<typeof setup>) {
  const { user, enrolment } = await env.auth.bootstrapAdmin(ADMIN);
  const { recoveryCodes } = env.auth.confirmEnrolment(user.id, oathtool(enrolment.secret, env.now()));
  env.advance(30_000); // the enrolment used this step's code
  return { user, secret: enrolment.secret, recoveryCodes };
}

const LOGIN_FAILED = 'NIP atau kata sandi salah';
const LOCKED = /^Akun dikunci sementara .* coba lagi dalam (\d+) menit$/;

async function failsWith(promise: Promise<unknown> | (() => unknown), message: string | RegExp, code = 'unauthenticated') {
  const run = typeof promise === 'function' ? Promise.resolve().then(promise) : promise;
  await expect(run).rejects.toMatchObject({ code, message: typeof message === 'string' ? message : expect.stringMatching(message) });
}

describe('auth: bootstrap and enrolment', () => {
  it('creates the first admin once, whose enrolment completes only with a correct code', async () => {
    const env = setup();
    expect(env.auth.status()).toEqual({ bootstrapped: false });
    const { user, enrolment } = await env.auth.bootstrapAdmin({ ...ADMIN, nip: '1990 0101 2015 01 1 001' });
    expect(user).toEqual({ id: user.id, nip: ADMIN.nip, nama: ADMIN.nama, role: 'admin' });
    expect(env.auth.status()).toEqual({ bootstrapped: true });
    await failsWith(env.auth.bootstrapAdmin({ ...CLERK }), /sudah punya admin/, 'conflict');

    // SHA-1, 6 digits and 30 s are the defaults every authenticator app assumes when absent.
    expect(enrolment.uri).toBe(`otpauth://totp/Lemari:${ADMIN.nip}?secret=${enrolment.secret}&issuer=Lemari`);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
    expect(enrolment.qrSvg).toMatch(/^<svg/);

    // Before enrolment the password alone logs in, flagged so the caller allows enrolment only.
    const early = await env.auth.beginLogin(ADMIN);
    expect(early).toEqual({ next: 'done', result: { user, mustChangePassword: false, needsEnrolment: true } });

    await failsWith(() => env.auth.confirmEnrolment(user.id, oathtool(enrolment.secret, env.now() + 90_000)), 'Kode autentikator salah', 'invalid_input');
    const { recoveryCodes } = env.auth.confirmEnrolment(user.id, oathtool(enrolment.secret, env.now()));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    await failsWith(env.auth.startEnrolment(user.id), /sudah terdaftar/, 'conflict');
    expect(env.auth.session(user.id)).toMatchObject({ needsEnrolment: false });
    expect(env.actions('user.created')).toMatchObject([{ actor: ADMIN.nip, nip: ADMIN.nip, detail: { role: 'admin', bootstrap: true } }]);
    expect(env.actions('user.mfa_enrolled')).toHaveLength(1);
  });

  it('validates the first admin: a real NIP, a name, a good password', async () => {
    const env = setup();
    await failsWith(env.auth.bootstrapAdmin({ ...ADMIN, nip: '199013012015011001' }), /Tanggal lahir dalam NIP/, 'invalid_input');
    await failsWith(env.auth.bootstrapAdmin({ ...ADMIN, nama: '  ' }), /Nama wajib diisi/, 'invalid_input');
    await failsWith(env.auth.bootstrapAdmin({ ...ADMIN, password: ADMIN.nip }), /tidak boleh memuat NIP/, 'invalid_input');
    await failsWith(env.auth.bootstrapAdmin({ ...ADMIN, password: 'password123' }), /paling sering dipakai/, 'invalid_input');
    expect(env.auth.status().bootstrapped).toBe(false);
  });
});

describe('auth: login with TOTP', () => {
  it('accepts codes from oathtool, refuses a replay, takes one step of drift and not two', async () => {
    const env = setup();
    const { user, secret } = await enrolledAdmin(env);
    const login = async (code: string) => {
      const begun = await env.auth.beginLogin(ADMIN);
      if (begun.next !== 'code') throw new Error('expected a code step');
      return env.auth.completeLogin({ ticket: begun.ticket, code });
    };

    const code = oathtool(secret, env.now());
    expect(await login(code)).toEqual({ user, mustChangePassword: false, needsEnrolment: false });
    await failsWith(login(code), 'Kode ini sudah dipakai; tunggu kode berikutnya di aplikasi autentikator');
    expect(env.actions('auth.login_failed').map((e) => e.detail.reason)).toEqual(['replayed_code']);

    env.advance(5 * 60_000);
    await failsWith(login(oathtool(secret, env.now() - 60_000)), 'Kode autentikator salah');
    await failsWith(login(oathtool(secret, env.now() + 60_000)), 'Kode autentikator salah');
    expect(await login(oathtool(secret, env.now() - 30_000))).toMatchObject({ user });
    expect(await login(oathtool(secret, env.now() + 30_000))).toMatchObject({ user });
    // The current step is older than the one just used (+1): refused as a replay.
    await failsWith(login(oathtool(secret, env.now())), /sudah dipakai/);

    expect(env.actions('auth.login').map((e) => e.detail)).toEqual([
      { factors: ['password', 'totp'], drift: 0 },
      { factors: ['password', 'totp'], drift: -1 },
      { factors: ['password', 'totp'], drift: 1 },
    ]);
  });

  it('does both steps in one call for the CLI, and wants the code when one is enrolled', async () => {
    const env = setup();
    const { secret } = await enrolledAdmin(env);
    await failsWith(env.auth.login(ADMIN), 'Masukkan kode 6 digit dari aplikasi autentikator');
    expect((await env.auth.login({ ...ADMIN, code: oathtool(secret, env.now()) })).user.nip).toBe(ADMIN.nip);
    await failsWith(env.auth.login({ ...ADMIN, password: 'salah sekali ini' }), LOGIN_FAILED);
  });

  it('lets a ticket wait five minutes for its code, no longer', async () => {
    const env = setup();
    const { secret } = await enrolledAdmin(env);
    const begun = await env.auth.beginLogin(ADMIN);
    if (begun.next !== 'code') throw new Error('expected a code step');
    env.advance(5 * 60_000 + 1);
    await failsWith(() => env.auth.completeLogin({ ticket: begun.ticket, code: oathtool(secret, env.now()) }), /Waktu masuk habis/);
    await failsWith(() => env.auth.completeLogin({ ticket: 'made-up', code: '123456' }), /Waktu masuk habis/);
  });
});

describe('auth: throttling and lockout', () => {
  it('locks after 5 wrong passwords, audits the lock, and lets the right login in after the delay', async () => {
    const env = setup();
    const { secret } = await enrolledAdmin(env);
    for (let i = 1; i <= 4; i++) await failsWith(env.auth.beginLogin({ ...ADMIN, password: `salah nomor ${i}` }), LOGIN_FAILED);
    await failsWith(env.auth.beginLogin({ ...ADMIN, password: 'salah nomor 5' }), 'Akun dikunci sementara karena terlalu banyak percobaan yang salah; coba lagi dalam 1 menit');
    // Locked: even the right password and code are refused, without being checked.
    await failsWith(env.auth.login({ ...ADMIN, code: oathtool(secret, env.now()) }), LOCKED);
    expect(env.actions('auth.locked')).toMatchObject([{ actor: ADMIN.nip, detail: { lockCount: 1, minutes: 1 } }]);
    expect(env.actions('auth.login_failed').map((e) => e.detail.reason)).toEqual([...Array(5).fill('bad_password'), 'locked']);

    env.advance(59_000);
    await failsWith(env.auth.beginLogin(ADMIN), LOCKED);
    env.advance(2_000);
    // The second lock in a row lasts longer (5 minutes).
    for (let i = 1; i <= 5; i++) await env.auth.beginLogin({ ...ADMIN, password: `lagi salah ${i}` }).catch(() => {});
    env.advance(61_000);
    await failsWith(env.auth.beginLogin(ADMIN), /dalam 4 menit$/);
    env.advance(4 * 60_000);
    const result = await env.auth.login({ ...ADMIN, code: oathtool(secret, env.now()) });
    expect(result.user.nip).toBe(ADMIN.nip);
    expect(env.db.prepare('SELECT failed_count, lock_count, locked_until FROM users WHERE nip = ?').get(ADMIN.nip)).toEqual({ failed_count: 0, lock_count: 0, locked_until: null });
    expect(env.actions('auth.locked').map((e) => e.detail.minutes)).toEqual([1, 5]);
  });

  it('counts wrong codes with wrong passwords, and a success starts the count again', async () => {
    const env = setup();
    const { secret } = await enrolledAdmin(env);
    const wrongCode = () => (oathtool(secret, env.now()) === '000000' ? '111111' : '000000');
    for (let i = 0; i < 4; i++) await failsWith(env.auth.login({ ...ADMIN, code: wrongCode() }), 'Kode autentikator salah');
    await env.auth.login({ ...ADMIN, code: oathtool(secret, env.now()) });
    env.advance(30_000);
    for (let i = 0; i < 4; i++) await failsWith(env.auth.beginLogin({ ...ADMIN, password: 'bukan ini' }), LOGIN_FAILED);
    const begun = await env.auth.beginLogin(ADMIN); // the right password does not reset the count: only a full login does
    if (begun.next !== 'code') throw new Error('expected a code step');
    await failsWith(() => env.auth.completeLogin({ ticket: begun.ticket, code: 'abcdef' }), LOCKED);
    await failsWith(() => env.auth.completeLogin({ ticket: begun.ticket, code: oathtool(secret, env.now()) }), /Waktu masuk habis/);
  });

  it('answers an unknown NIP exactly like a wrong password, lockout included', async () => {
    const env = setup();
    await enrolledAdmin(env);
    const unknown = '198505152010122002';
    for (let i = 1; i <= 4; i++) await failsWith(env.auth.beginLogin({ nip: unknown, password: ADMIN.password }), LOGIN_FAILED);
    await failsWith(env.auth.beginLogin({ nip: unknown, password: ADMIN.password }), 'Akun dikunci sementara karena terlalu banyak percobaan yang salah; coba lagi dalam 1 menit');
    await failsWith(env.auth.beginLogin({ nip: unknown, password: ADMIN.password }), LOCKED);
    await failsWith(env.auth.beginLogin({ nip: 'bukan nip', password: 'x' }), LOGIN_FAILED);
    expect(env.actions('auth.login_failed').filter((e) => e.actor === 'unknown')).toHaveLength(1); // the typed text is not logged

  });

  it('answers an unknown NIP as slowly as a known one with a wrong password', async () => {
    // No lock gets in the way of the samples here; the lock itself is tested above.
    const env = setup({ lockout: { maxFailures: 1000, delaysMs: [60_000] } });
    await enrolledAdmin(env);
    const time = async (nip: string) => {
      const started = performance.now();
      await failsWith(env.auth.beginLogin({ nip, password: 'salah terus' }), LOGIN_FAILED);
      return performance.now() - started;
    };
    const known: number[] = [];
    const missing: number[] = [];
    // Interleaved, so load from other suites on the machine hits both alike.
    for (let i = 0; i < 7; i++) {
      known.push(await time(ADMIN.nip));
      missing.push(await time(`1985051520101220${String(i + 10)}`));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[3];
    // Without the throwaway hash an unknown NIP answers ~100x faster; with it, about as fast.
    expect(median(missing) / median(known)).toBeGreaterThan(0.3);
    expect(median(missing) / median(known)).toBeLessThan(3.3);
  });
});

describe('auth: recovery codes', () => {
  it('logs in once with each recovery code', async () => {
    const env = setup();
    const { recoveryCodes } = await enrolledAdmin(env);
    const result = await env.auth.loginWithRecoveryCode({ ...ADMIN, recoveryCode: recoveryCodes[3].toLowerCase() });
    expect(result).toMatchObject({ user: { nip: ADMIN.nip }, recoveryCodesLeft: 9 });
    await failsWith(env.auth.loginWithRecoveryCode({ ...ADMIN, recoveryCode: recoveryCodes[3] }), 'Kode pemulihan salah atau sudah dipakai');
    await failsWith(env.auth.loginWithRecoveryCode({ ...ADMIN, recoveryCode: 'AAAA-BBBB-CCCC-DDDD' }), /Kode pemulihan salah/);
    expect((await env.auth.loginWithRecoveryCode({ ...ADMIN, recoveryCode: recoveryCodes[0] })).recoveryCodesLeft).toBe(8);
    expect(env.actions('user.recovery_code_used').map((e) => e.detail)).toEqual([{ left: 9 }, { left: 8 }]);
    expect(env.actions('auth.login_failed').map((e) => e.detail.reason)).toEqual(['bad_recovery_code', 'bad_recovery_code']);
  });

  it('replaces the codes on request, with a current authenticator code', async () => {
    const env = setup();
    const { user, secret, recoveryCodes } = await enrolledAdmin(env);
    const fresh = env.auth.regenerateRecoveryCodes(user.id, oathtool(secret, env.now())).recoveryCodes;
    expect(fresh).toHaveLength(10);
    await failsWith(env.auth.loginWithRecoveryCode({ ...ADMIN, recoveryCode: recoveryCodes[0] }), /Kode pemulihan salah/);
    expect((await env.auth.loginWithRecoveryCode({ ...ADMIN, recoveryCode: fresh[0] })).recoveryCodesLeft).toBe(9);
  });
});

async function withClerk(env: ReturnType<typeof setup>) {
  const admin = await enrolledAdmin(env);
  const clerk = await env.auth.createUser({ userId: admin.user.id }, { ...CLERK, role: 'clerk' });
  return { admin, clerk };
}

describe('auth: accounts and roles', () => {
  it('an admin creates a clerk, who changes the initial password and enrols at first login', async () => {
    const env = setup();
    const { admin, clerk } = await withClerk(env);
    expect(clerk).toMatchObject({ nip: CLERK.nip, role: 'clerk', mustChangePassword: true, mfaEnrolled: false, disabled: false });
    await failsWith(env.auth.createUser({ userId: admin.user.id }, { ...CLERK, role: 'clerk' }), `Sudah ada akun untuk NIP ${CLERK.nip}`, 'conflict');

    const first = await env.auth.beginLogin(CLERK);
    expect(first).toMatchObject({ next: 'done', result: { mustChangePassword: true, needsEnrolment: true, user: { role: 'clerk' } } });
    await failsWith(env.auth.changePassword(clerk.id, 'bukan yang lama', 'kopi susu gula aren'), 'Kata sandi salah', 'invalid_input');
    await failsWith(env.auth.changePassword(clerk.id, CLERK.password, CLERK.password), /harus berbeda/, 'invalid_input');
    await failsWith(env.auth.changePassword(clerk.id, CLERK.password, 'agus1234'), /memuat NIP, tanggal lahir, atau nama/, 'invalid_input');
    await env.auth.changePassword(clerk.id, CLERK.password, 'kopi susu gula aren');
    const enrolment = await env.auth.startEnrolment(clerk.id);
    env.auth.confirmEnrolment(clerk.id, oathtool(enrolment.secret, env.now()));
    env.advance(30_000);
    await failsWith(env.auth.beginLogin(CLERK), LOGIN_FAILED);
    const login = await env.auth.login({ nip: CLERK.nip, password: 'kopi susu gula aren', code: oathtool(enrolment.secret, env.now()) });
    expect(login).toEqual({ user: { id: clerk.id, nip: CLERK.nip, nama: CLERK.nama, role: 'clerk' }, mustChangePassword: false, needsEnrolment: false });
    expect(env.actions('user.password_changed')).toMatchObject([{ actor: CLERK.nip, detail: { by: 'self' } }]);
    expect(env.actions('user.created')[1]).toMatchObject({ actor: ADMIN.nip, nip: CLERK.nip, detail: { role: 'clerk' } });
  });

  it('refuses account management to anyone but an enrolled admin, checked inside', async () => {
    const env = setup();
    const { admin, clerk } = await withClerk(env);
    const asClerk = { userId: clerk.id };
    await failsWith(env.auth.createUser(asClerk, { nip: '198505152010122002', nama: 'Dewi', role: 'admin', password: 'kursi rotan antik' }), 'Hanya admin yang boleh mengelola akun', 'forbidden');
    await failsWith(() => env.auth.setRole(asClerk, clerk.id, 'admin'), /Hanya admin/, 'forbidden');
    await failsWith(() => env.auth.disableUser(asClerk, admin.user.id), /Hanya admin/, 'forbidden');
    await failsWith(() => env.auth.resetMfa(asClerk, admin.user.id), /Hanya admin/, 'forbidden');
    await failsWith(env.auth.resetPassword(asClerk, admin.user.id, 'kursi rotan antik'), /Hanya admin/, 'forbidden');
    expect(env.auth.listUsers().find((u) => u.id === clerk.id)?.role).toBe('clerk');
  });

  it('changes roles, keeps one active admin, disables and re-enables accounts', async () => {
    const env = setup();
    const { admin, clerk } = await withClerk(env);
    const actor = { userId: admin.user.id };
    await failsWith(() => env.auth.setRole(actor, admin.user.id, 'clerk'), 'Harus tetap ada paling sedikit satu admin aktif', 'conflict');
    await failsWith(() => env.auth.disableUser(actor, admin.user.id), /tidak dapat menonaktifkan akunnya sendiri/, 'conflict');
    expect(env.auth.setRole(actor, clerk.id, 'verifier').role).toBe('verifier');
    expect(env.actions('user.role_changed')).toMatchObject([{ actor: ADMIN.nip, nip: CLERK.nip, detail: { from: 'clerk', to: 'verifier' } }]);
    expect(env.auth.session(clerk.id)?.user.role).toBe('verifier');

    expect(env.auth.disableUser(actor, clerk.id).disabled).toBe(true);
    expect(env.auth.session(clerk.id)).toBeNull();
    await failsWith(env.auth.beginLogin(CLERK), LOGIN_FAILED); // the same answer as a wrong password
    expect(env.actions('auth.login_failed')[0].detail).toEqual({ reason: 'disabled' });
    expect(env.auth.enableUser(actor, clerk.id).disabled).toBe(false);
    expect(env.actions('user.disabled')).toHaveLength(1);
    expect(env.actions('user.enabled')).toHaveLength(1);
  });

  it('resets a forgotten password and a lost authenticator, and unlocks', async () => {
    const env = setup();
    const { admin, clerk } = await withClerk(env);
    const actor = { userId: admin.user.id };
    const e = await env.auth.startEnrolment(clerk.id);
    env.auth.confirmEnrolment(clerk.id, oathtool(e.secret, env.now()));
    for (let i = 0; i < 5; i++) await env.auth.beginLogin({ ...CLERK, password: 'lupa lagi' }).catch(() => {});
    expect(env.auth.listUsers().find((u) => u.id === clerk.id)?.lockedUntil).toBe(new Date(env.now() + 60_000).toISOString());
    env.auth.unlockUser(actor, clerk.id);
    await env.auth.resetPassword(actor, clerk.id, 'payung biru di pojok');
    env.auth.resetMfa(actor, clerk.id);
    const login = await env.auth.beginLogin({ nip: CLERK.nip, password: 'payung biru di pojok' });
    expect(login).toMatchObject({ next: 'done', result: { mustChangePassword: true, needsEnrolment: true } });
    expect(env.actions('user.mfa_reset')).toHaveLength(1);
    expect(env.actions('user.password_reset')).toHaveLength(1);
    expect(env.actions('user.unlocked')).toHaveLength(1);
  });

  it('re-enters after the idle lock with the password only, throttled', async () => {
    const env = setup();
    const { user } = await enrolledAdmin(env);
    await failsWith(env.auth.reauthenticate(user.id, 'bukan'), 'Kata sandi salah');
    expect(env.actions('auth.login_failed').map((e) => e.detail)).toEqual([{ reason: 'bad_password', during: 'reauthenticate' }]);
    expect((await env.auth.reauthenticate(user.id, ADMIN.password)).user.id).toBe(user.id);
    expect(env.actions('auth.resumed')).toHaveLength(1);
    env.auth.logout(user.id);
    expect(env.actions('auth.logout')).toMatchObject([{ actor: ADMIN.nip }]);
  });
});

describe('auth: what reaches the disk', () => {
  it('stores neither the password nor the TOTP secret in clear, and logs neither', async () => {
    const env = setup();
    const { secret } = await enrolledAdmin(env);
    await env.auth.login({ ...ADMIN, code: oathtool(secret, env.now()) });
    const row = env.db.prepare('SELECT password_hash, totp_secret_enc FROM users').get() as { password_hash: string; totp_secret_enc: Buffer };
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const raw = Buffer.from(secret.replace(/=/g, ''), 'utf8');
    expect(row.totp_secret_enc.includes(raw)).toBe(false);
    env.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat(readdirSync(env.dir).filter((f) => f.startsWith('lemari.db')).map((f) => readFileSync(join(env.dir, f))));
    expect(bytes.includes(Buffer.from(ADMIN.password))).toBe(false);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
    const audit = JSON.stringify(env.audit.list({ limit: 500, offset: 0 }).items);
    expect(audit).not.toContain(ADMIN.password);
    expect(audit).not.toContain(secret);
  });
});

