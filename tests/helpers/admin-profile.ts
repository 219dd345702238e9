// A profile in a temp folder with its first admin bootstrapped and enrolled, for tests that
// go through the contract (profile.api.call) as the UI and CLI do: `ok` answers a call's
// value or throws its message, `call` answers the raw Result, and `userSession` adds an
// enrolled user of another role, logged in on a session of their own.
import { join } from 'node:path';
import type { MethodName, MethodOutput } from '../../common/contract';
import type { Session } from '../../main/access';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import type { Clock } from '../../main/core/ports';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { resourcesDir, tempDir } from './profile';

export const ADMIN_NIP = '198001012005011001';
const PASSWORD = 'arsip kepegawaian aman 2026';

export interface AdminProfile {
  profile: Profile;
  dataDir: string;
  /** A folder for the test's own files, removed on close. */
  dir: string;
  admin: Session;
  call(method: MethodName, input: unknown, session?: Session): ReturnType<Profile['api']['call']>;
  ok<M extends MethodName>(method: M, input: unknown, session?: Session): Promise<MethodOutput<M>>;
  /** nama defaults to "Pegawai <role>". */
  userSession(nip: string, role: 'clerk' | 'verifier', nama?: string): Promise<Session>;
  close(): Promise<void>;
}

type ProfileOptions = Parameters<typeof openProfile>[0];

/**
 * A profile in `dataDir` as the CLI opens one (settings and secrets in the folder, the shipped
 * resources, a silent log) on the test's clock; `options` adds or replaces, e.g. a fetch or the
 * sync scheduler's timer port.
 */
export function openCliProfile(dataDir: string, clock: Clock, options: Partial<ProfileOptions> = {}): Promise<Profile> {
  return openProfile({
    dataDir,
    host: 'cli',
    resourcesDir,
    settings: new ConfSettingsStore(dataDir),
    secrets: new KeyFileSecretStore(dataDir),
    logger: { error: () => {}, info: () => {} },
    clock,
    ...options,
  });
}

export async function adminProfile(prefix: string, clock: Clock, options: Partial<ProfileOptions> = {}): Promise<AdminProfile> {
  const work = tempDir(prefix);
  const dataDir = join(work.dir, 'profil');
  const profile = await openCliProfile(dataDir, clock, options);
  const admin = profile.newSession();
  const call = (method: MethodName, input: unknown, session = admin) => profile.api.call(method, input, { session });
  async function ok<M extends MethodName>(method: M, input: unknown, session = admin): Promise<MethodOutput<M>> {
    const result = await call(method, input, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as MethodOutput<M>;
  }
  const { enrolment } = (await ok('auth.bootstrap', { nip: ADMIN_NIP, nama: 'Kepala Arsip', password: PASSWORD })) as { enrolment: { secret: string } };
  await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) });
  return {
    profile,
    dataDir,
    dir: work.dir,
    admin,
    call,
    ok,
    async userSession(nip, role, nama = `Pegawai ${role}`) {
      await ok('users.create', { nip, nama, role, password: PASSWORD });
      const session = profile.newSession();
      await ok('auth.beginLogin', { nip, password: PASSWORD }, session);
      const { secret } = await ok('auth.startEnrolment', {}, session);
      await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(secret), clock.now()) }, session);
      await ok('auth.changePassword', { oldPassword: PASSWORD, newPassword: `${PASSWORD} baru` }, session);
      return session;
    },
    async close() {
      await profile.close();
      work.cleanup();
    },
  };
}
