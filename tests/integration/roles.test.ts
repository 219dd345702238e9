// Roles are enforced in main/api.ts for every contract method, not only by the UI:
// a logged-in clerk calling any method a clerk may not call gets `forbidden`, and nobody
// logged out gets past the login.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../common/contract';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { resourcesDir, tempDir } from '../helpers/profile';

let work: ReturnType<typeof tempDir>;
let profile: Profile;
let now = Date.parse('2026-11-24T02:00:00Z');
const clock = { now: () => new Date(now) };
const ADMIN = { nip: '198001012005011001', password: 'arsip kepegawaian aman 2026' };
const CLERK = { nip: '199001012015031001', password: 'sandi awal budi 123', newPassword: 'sandi budi yang baru 456' };

async function ok(method: MethodName, input: unknown, session: ReturnType<Profile['newSession']>) {
  const result = await profile.api.call(method, input, { session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as never;
}

/** Logs in with password and the current code, half a minute later than the last login. */
async function login(nip: string, password: string, secret: string) {
  now += 30_000;
  const session = profile.newSession();
  const begun = (await ok('auth.beginLogin', { nip, password }, session)) as { ticket: string };
  await ok('auth.completeLogin', { ticket: begun.ticket, code: totpCode(fromBase32(secret), clock.now()) }, session);
  return session;
}

let clerkSession: ReturnType<Profile['newSession']>;

beforeAll(async () => {
  work = tempDir('lemari-roles-');
  const dataDir = join(work.dir, 'profil');
  profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock });
  const boot = profile.newSession();
  const { enrolment } = (await ok('auth.bootstrap', { nip: ADMIN.nip, nama: 'Admin', password: ADMIN.password }, boot)) as { enrolment: { secret: string } };
  await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) }, boot);
  await ok('users.create', { nip: CLERK.nip, nama: 'Budi', role: 'clerk', password: CLERK.password }, boot);

  // The clerk's first login: password only, then enrol, then change the admin-set password.
  now += 30_000;
  clerkSession = profile.newSession();
  const first = (await ok('auth.beginLogin', { nip: CLERK.nip, password: CLERK.password }, clerkSession)) as { next: string };
  expect(first.next).toBe('done');
  const clerkEnrolment = (await ok('auth.startEnrolment', {}, clerkSession)) as { secret: string };
  await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(clerkEnrolment.secret), clock.now()) }, clerkSession);
  const blocked = await profile.api.call('search.query', { text: '' }, { session: clerkSession });
  expect(blocked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  await ok('auth.changePassword', { oldPassword: CLERK.password, newPassword: CLERK.newPassword }, clerkSession);
  clerkSession = await login(CLERK.nip, CLERK.newPassword, clerkEnrolment.secret);
});

afterAll(async () => {
  await profile.close();
  work.cleanup();
});

describe('roles', () => {
  const clerkForbidden = METHOD_NAMES.filter((name) => {
    const access = contract[name].access;
    return Array.isArray(access) && !access.includes('clerk');
  });

  it('has admin-only methods to check', () => {
    expect(clerkForbidden).toEqual(expect.arrayContaining(['users.create', 'users.setRole', 'settings.update', 'maintenance.verify', 'audit.list', 'employees.import']));
  });

  it.each(clerkForbidden)('refuses %s to a clerk with forbidden', async (name) => {
    const result = await profile.api.call(name, {}, { session: clerkSession });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets the clerk do a clerk\u2019s work', async () => {
    expect(await profile.api.call('search.query', { text: '' }, { session: clerkSession })).toMatchObject({ ok: true });
    expect(await profile.api.call('documents.list', {}, { session: clerkSession })).toMatchObject({ ok: true });
  });

  it('refuses every non-public method to a logged-out session with unauthenticated', async () => {
    for (const name of METHOD_NAMES.filter((n) => contract[n].access !== 'public')) {
      expect(await profile.api.call(name, {}, { session: profile.newSession() }), name).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
  });

  it('refuses document bytes to a logged-out session', async () => {
    await expect(profile.documentContent(1, profile.newSession())).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('locks an idle session until the password is given again', async () => {
    const session = { ...clerkSession };
    now += 16 * 60_000;
    expect(await profile.api.call('documents.list', {}, { session })).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringContaining('terkunci') } });
    expect(await profile.api.call('auth.unlock', { password: 'salah' }, { session })).toMatchObject({ ok: false });
    expect(await profile.api.call('auth.unlock', { password: CLERK.newPassword }, { session })).toMatchObject({ ok: true });
    expect(await profile.api.call('documents.list', {}, { session })).toMatchObject({ ok: true });
  });
});
