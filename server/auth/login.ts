// Login in two calls, as on the workstation: NIP + password give a step token; the step
// token and the authenticator's code (or a recovery code) give a session on a device.
// Wrong passwords and codes count toward the account's lock; an unknown NIP is answered
// like a wrong password, after the same argon2 work, and locks alike.
import { randomBytes } from 'node:crypto';
import { normalizeRecoveryCode } from '../../common/auth/recovery';
import { checkTotp, fromBase32 } from '../../common/auth/totp';
import type { LoginInput, Session, StepAnswer, TotpInput } from '../../common/dms/auth';
import { DmsError } from '../http/errors';
import type { AuthContext } from './context';
import { checkDevice, deviceForLogin } from './devices';
import { assertNotLocked, clearFailures, recordFailure } from './lockout';
import { passwords } from './password';
import { issueStep, openStep, passwordFingerprint, type DeviceChoice } from './steps';
import { sealPurpose } from './sealing';
import { userById, userByNip } from './users';

let dummyHash: Promise<string> | undefined;

/** A hash of a random password, so an unknown NIP costs the same argon2 work as a known one. */
function dummy(): Promise<string> {
  dummyHash ??= passwords.hash(randomBytes(16).toString('hex'));
  return dummyHash;
}

const invalidCredentials = () => new DmsError('invalid_credentials', 'The NIP or the password is wrong.');

export function loginFlow(ctx: AuthContext) {
  const { db } = ctx;
  const nowIso = () => new Date(ctx.now()).toISOString();

  return {
    async begin(input: LoginInput): Promise<StepAnswer> {
      const now = ctx.now();
      let user = await userByNip(db, input.nip);
      const target = user ? { userId: user.id } : { nip: input.nip };
      await assertNotLocked(db, target, now);
      const ok = await passwords.verify(user?.password_hash ?? (await dummy()), input.password);
      if (!user || user.password_hash === null || !ok) throw await recordFailure(db, target, now, invalidCredentials());
      if (user.status === 'disabled') throw invalidCredentials();
      const device: DeviceChoice = input.deviceId !== undefined ? { id: input.deviceId } : { name: input.deviceName! };
      await checkDevice(db, device, user.instansi_id);
      if (passwords.needsRehash(user.password_hash)) {
        const upgraded = await passwords.hash(input.password);
        await db.query('update users set password_hash = $2 where id = $1 and password_hash = $3', [user.id, upgraded, user.password_hash]);
        user = (await userById(db, user.id))!;
      }
      if (user.totp_secret === null) {
        return { next: 'enrol', ...issueStep(ctx.signer, now, 'enrol', { userId: user.id, passwordHash: user.password_hash }) };
      }
      return { next: 'totp', ...issueStep(ctx.signer, now, 'login', { userId: user.id, passwordHash: user.password_hash, device }) };
    },

    async complete(input: TotpInput): Promise<Session> {
      const now = ctx.now();
      const claims = openStep(ctx.signer, now, input.stepToken, 'login');
      const user = await userById(db, claims.sub);
      if (!user || user.status !== 'active' || user.totp_secret === null || passwordFingerprint(user.password_hash) !== claims.pwd || !claims.dev) {
        throw new DmsError('unauthenticated', 'This login can no longer be completed; start again.');
      }
      const target = { userId: user.id };
      await assertNotLocked(db, target, now);
      const digest = await ctx.digest();
      let step: number | null = null;
      let recoveryHash: string | null = null;
      if (input.code !== undefined) {
        const check = checkTotp(fromBase32(ctx.sealer.open(sealPurpose.totp(user.nip), user.totp_secret)), input.code, new Date(now), user.totp_last_step);
        if (!check.ok) {
          const message = check.reason === 'replayed' ? 'This code was used already; wait for the next one.' : 'The code is wrong.';
          throw await recordFailure(db, target, now, new DmsError('invalid_code', message));
        }
        step = check.step;
      } else {
        const code = normalizeRecoveryCode(input.recoveryCode ?? '');
        recoveryHash = code === null ? null : digest.digest('recovery', code);
        const found = recoveryHash === null ? [] : (await db.query('select 1 from recovery_codes where user_id = $1 and code_hash = $2 and used_at is null', [user.id, recoveryHash])).rows;
        if (found.length === 0) throw await recordFailure(db, target, now, new DmsError('invalid_code', 'The recovery code is wrong or used up.'));
      }
      const device = claims.dev;
      return db.transaction(async (tx) => {
        // Compare-and-set: of two logins racing with one code, or one recovery code, exactly one wins.
        const won =
          step !== null
            ? await tx.query('update users set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2)', [user.id, step])
            : await tx.query('update recovery_codes set used_at = $3 where user_id = $1 and code_hash = $2 and used_at is null', [user.id, recoveryHash, nowIso()]);
        if (won.rowCount !== 1) throw new DmsError('invalid_code', 'This code was used already.');
        await clearFailures(tx, user.id);
        const deviceId = await deviceForLogin(tx, device, { id: user.id, instansiId: user.instansi_id }, nowIso());
        return ctx.sessions.open(tx, user.id, deviceId);
      });
    },
  };
}
