// Activation of a new account and a forgotten password: a one-time code e-mailed to the
// account's address (reset/request), then the code with a new password (reset/confirm),
// then, for an account without an authenticator, its enrolment (mfa/enrol, mfa/activate).
import { randomBytes } from 'node:crypto';
import { passwordProblem } from '../../common/auth/password';
import { newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from '../../common/auth/recovery';
import { checkTotp, fromBase32 } from '../../common/auth/totp';
import type { StepAnswer } from '../../common/dms/auth';
import { DmsError } from '../http/errors';
import { resetCodeMail } from '../mail/messages';
import type { AuthContext } from './context';
import { assertNotLocked, recordFailure } from './lockout';
import { passwords, serverBlockList } from './password';
import { formatResetCode, newResetCode, normalizeResetCode } from './secrets';
import { revokeFamilies } from './sessions';
import { issueStep, openStep, passwordFingerprint } from './steps';
import { sealPurpose } from './sealing';
import { newPendingTotp, userById, userByNip, type UserRow } from './users';

export const RESET_CODE_MINUTES = 15;
/** Wrong tries a code survives; then a new one must be requested. */
export const RESET_CODE_ATTEMPTS = 5;

const badCode = () => new DmsError('invalid_code', 'The code is wrong, expired or used up; request a new one.');

export function activationFlow(ctx: AuthContext) {
  const { db } = ctx;
  const nowIso = () => new Date(ctx.now()).toISOString();

  /** The account an enrolment step token was issued for, as long as its password has not changed. */
  async function enrolling(stepToken: string): Promise<UserRow> {
    const claims = openStep(ctx.signer, ctx.now(), stepToken, 'enrol');
    const user = await userById(db, claims.sub);
    if (!user || user.status === 'disabled' || passwordFingerprint(user.password_hash) !== claims.pwd) {
      throw new DmsError('unauthenticated', 'This enrolment can no longer be completed; start again.');
    }
    if (user.totp_secret !== null) throw new DmsError('conflict', 'This account has an authenticator already; log in.');
    return user;
  }

  return {
    /**
     * The same work whether or not NIP and e-mail match: a code is made and hashed, and one
     * statement stores it only where they match. The mail goes out after the answer.
     */
    async request(input: { nip: string; email: string }): Promise<void> {
      const code = newResetCode();
      const now = ctx.now();
      const { rows } = await db.query<{ email: string; name: string }>(
        `with target as (
           select id, email, name from users
            where nip = $1 and status <> 'disabled' and email is not null and lower(trim(email)) = lower(trim($2))
         ), stored as (
           insert into reset_codes (user_id, code_hash, expires_at, attempts, created_at)
           select id, $3, $4, 0, $5 from target
           on conflict (user_id) do update set code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0, created_at = excluded.created_at
           returning user_id
         )
         select t.email, t.name from target t join stored s on s.user_id = t.id`,
        [input.nip, input.email, (await ctx.digest()).digest('reset', code), new Date(now + RESET_CODE_MINUTES * 60_000).toISOString(), new Date(now).toISOString()],
      );
      const match = rows[0];
      if (match) ctx.mailer.sendLater(resetCodeMail({ to: match.email, name: match.name, nip: input.nip, code: formatResetCode(code), minutes: RESET_CODE_MINUTES }));
    },

    async confirm(input: { nip: string; code: string; newPassword: string }): Promise<{ next: 'login' } | ({ next: 'enrol' } & Omit<StepAnswer, 'next'>)> {
      const now = ctx.now();
      const user = await userByNip(db, input.nip);
      if (!user || user.status === 'disabled') throw badCode();
      // Each try uses one attempt of the code, atomically, before the code is compared.
      const { rows } = await db.query<{ code_hash: string }>(
        'update reset_codes set attempts = attempts + 1 where user_id = $1 and expires_at > $2 and attempts < $3 returning code_hash',
        [user.id, new Date(now).toISOString(), RESET_CODE_ATTEMPTS],
      );
      const digest = await ctx.digest();
      if (!rows[0] || !digest.matches('reset', normalizeResetCode(input.code), rows[0].code_hash)) throw badCode();
      const problem = passwordProblem(input.newPassword, { nip: user.nip, nama: user.name }, serverBlockList());
      if (problem) {
        // The code was right: the try is given back, so choosing a password takes no attempts.
        await db.query('update reset_codes set attempts = attempts - 1 where user_id = $1', [user.id]);
        throw new DmsError('invalid_input', `The new password cannot be used (${problem.reason}).`, { field: 'newPassword', ...problem });
      }
      const passwordHash = await passwords.hash(input.newPassword);
      await db.transaction(async (tx) => {
        const used = await tx.query('delete from reset_codes where user_id = $1 and code_hash = $2', [user.id, rows[0].code_hash]);
        if (used.rowCount !== 1) throw badCode(); // used by a concurrent confirm
        // Proving the mailbox ends a lock, and every session the old password opened.
        await tx.query('update users set password_hash = $2, failed_attempts = 0, lock_count = 0, locked_until = null, updated_at = $3 where id = $1', [user.id, passwordHash, nowIso()]);
        await revokeFamilies(tx, { userId: user.id }, 'password_reset', nowIso());
      });
      if (user.totp_secret !== null) return { next: 'login' };
      return { next: 'enrol', ...issueStep(ctx.signer, now, 'enrol', { userId: user.id, passwordHash }) };
    },

    async enrol(stepToken: string): Promise<{ otpauthUri: string; secret: string }> {
      const user = await enrolling(stepToken);
      return newPendingTotp(db, ctx.sealer, user);
    },

    async activate(stepToken: string, code: string): Promise<{ recoveryCodes: string[] }> {
      const now = ctx.now();
      const user = await enrolling(stepToken);
      const pending = user.totp_pending_secret;
      if (pending === null) throw new DmsError('conflict', 'No authenticator is being enrolled; call mfa/enrol first.');
      await assertNotLocked(db, { userId: user.id }, now);
      const check = checkTotp(fromBase32(ctx.sealer.open(sealPurpose.totp(user.nip), pending)), code, new Date(now), user.totp_last_step);
      if (!check.ok) throw await recordFailure(db, { userId: user.id }, now, new DmsError('invalid_code', 'The code is wrong; check the app and the clock of the phone.'));
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode(randomBytes));
      const digest = await ctx.digest();
      await db.transaction(async (tx) => {
        const changed = await tx.query(
          `update users set totp_secret = totp_pending_secret, totp_pending_secret = null, totp_last_step = $3, status = 'active',
                  failed_attempts = 0, lock_count = 0, locked_until = null, updated_at = $4
            where id = $1 and totp_secret is null and totp_pending_secret = $2`,
          [user.id, pending, check.step, nowIso()],
        );
        // Enrolment restarted (a new secret) between our read and this write.
        if (changed.rowCount !== 1) throw new DmsError('conflict', 'The enrolment changed meanwhile; scan the new code.');
        await tx.query('delete from recovery_codes where user_id = $1', [user.id]);
        for (const recovery of recoveryCodes) {
          await tx.query('insert into recovery_codes (user_id, code_hash, created_at) values ($1, $2, $3)', [user.id, digest.digest('recovery', normalizeRecoveryCode(recovery)!), nowIso()]);
        }
      });
      return { recoveryCodes };
    },
  };
}
