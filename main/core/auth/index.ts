// Local accounts and the offline login: password (argon2id) then TOTP code, with
// recovery codes for a lost phone, throttling and lockout, roles, and the account
// management an admin does. Every login, failure, lock and account change goes to the
// audit log in the same transaction as the change it records.
//
// Login is two calls so the UI can ask for the password and then the code:
// `beginLogin` checks NIP + password and hands out a short-lived ticket; `completeLogin`
// (or `completeLoginWithRecoveryCode`) takes the ticket and the second factor. `login` and
// `loginWithRecoveryCode` do both in one call for the CLI. A user who has not enrolled an
// authenticator yet gets a session from the password alone, flagged `needsEnrolment`: the
// caller (main/api.ts) must allow that session nothing but enrolment and logout.

import { randomBytes } from 'node:crypto';
import { todayOf } from '../../../common/dates';
import { AppError } from '../../../common/errors';
import { checkAnyNip, normalizeNip } from '../../../common/nip';
import type { Db } from '../../infra/db';
import type { SecretStore } from '../../infra/secrets';
import { writeTransaction, type AuditEntry } from '../audit';
import { ROLES, type Role } from '../../../common/contract';
import { nipProblemMessage } from '../employees';
import type { Clock, Translate } from '../ports';
import { EMPTY_BLOCK_LIST, type PasswordBlockList } from './common-passwords';
import { afterFailure, lockRemaining, LOCKOUT_POLICY, minutesLeft, type LockoutPolicy, type ThrottleState } from '../../../common/auth/lockout';
import { ARGON2_PARAMS, hashPassword, needsRehash, passwordProblem, passwordProblemMessage, verifyPassword, type Argon2Params } from './password';
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT, RECOVERY_SALT_BYTES, recoveryCodeMatches } from './recovery';
import { checkTotp, otpauthUri, qrSvg, timeStepAt, toBase32, TOTP_SECRET_BYTES, type TotpCheck } from './totp';

export { ROLES, type Role } from '../../../common/contract';

export interface AuthUser {
  id: number;
  nip: string;
  nama: string;
  role: Role;
}

export interface LoginResult {
  user: AuthUser;
  /** The password was set by an admin: only changePassword (and logout) until it is changed. */
  mustChangePassword: boolean;
  /** No authenticator yet: only startEnrolment/confirmEnrolment (and logout) until enrolled. */
  needsEnrolment: boolean;
}

export type BeginLoginResult =
  | { next: 'code'; ticket: string; expiresAt: string }
  /** Only for a user without an authenticator: the password was the whole login. */
  | { next: 'done'; result: LoginResult };

export interface Enrolment {
  /** otpauth://totp/Lemari:<NIP>?secret=...&issuer=Lemari */
  uri: string;
  /** Base32, for typing into an app by hand. */
  secret: string;
  qrSvg: string;
}

export interface UserSummary {
  id: number;
  nip: string;
  nama: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  mfaEnrolled: boolean;
  mustChangePassword: boolean;
  /** ISO time; null when not locked now. */
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface NewUser {
  nip: string;
  nama: string;
  role: Role;
  /** The initial password: the user must change it at first login. */
  password: string;
  email?: string | null;
}

/**
 * An account as the central server holds it, at the end of an online activation
 * (activation.ts): made or updated here so that later logins work offline.
 */
export interface ServerAccount {
  nip: string;
  nama: string;
  role: Role;
  email: string | null;
  /** The password the server just accepted; hashed here with the local argon2id settings. */
  password: string;
  /**
   * `secret`: the authenticator the server enrolled during this activation, with the step of
   * the login code (earlier codes are replays here too). `code`: the server's account had an
   * authenticator already, so the local one must be the same app entry: the login's code is
   * checked against it.
   */
  totp: { secret: Uint8Array; step: number } | { code: string };
  /** The server's ten recovery codes, stored hashed here as well; null keeps the local ones. */
  recoveryCodes: string[] | null;
  /** For the audit entry: the server's address and this workstation's device; never a secret. */
  detail: Record<string, unknown>;
}

/** Who performs an account change: the logged-in user's id. Their role is re-read, not trusted. */
export interface AuthActor {
  userId: number;
}

export interface AuthDeps {
  db: Db;
  clock: Clock;
  translate: Translate;
  secrets: SecretStore;
  audit: { append(entry: AuditEntry): unknown };
  random?: (n: number) => Buffer;
  /** Indonesian and workplace additions to the breach list (loadPasswordBlockList). */
  blockList?: PasswordBlockList;
  argon2?: Argon2Params;
  lockout?: LockoutPolicy;
}

/** How long a password-checked ticket waits for its code. */
export const TICKET_TTL_MS = 5 * 60_000;
const NAMA_MAX = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface UserRow {
  id: number;
  nip: string;
  nama: string;
  email: string | null;
  role: Role;
  password_hash: string;
  must_change_password: number;
  totp_secret_enc: Buffer | null;
  totp_pending_enc: Buffer | null;
  totp_last_step: number | null;
  failed_count: number;
  locked_until: number | null;
  lock_count: number;
  disabled: number;
  last_login_at: string | null;
  created_at: string;
}

interface Ticket {
  userId: number;
  expiresAt: number;
  /** The ticket dies if the password changes between the two steps. */
  passwordHash: string;
}

type FailureReason = 'unknown_user' | 'bad_password' | 'bad_code' | 'replayed_code' | 'bad_recovery_code' | 'disabled' | 'locked';

const totpContext = (userId: number) => `lemari:totp:${userId}`;
const pendingContext = (userId: number) => `lemari:totp-pending:${userId}`;

function authUser(row: UserRow): AuthUser {
  return { id: row.id, nip: row.nip, nama: row.nama, role: row.role };
}

function throttleOf(row: { failed_count: number; locked_until: number | null; lock_count: number }): ThrottleState {
  return { failedCount: row.failed_count, lockedUntil: row.locked_until, lockCount: row.lock_count };
}

export function createAuth(deps: AuthDeps) {
  const { db, clock, translate, secrets } = deps;
  const random = deps.random ?? randomBytes;
  const blockList = deps.blockList ?? EMPTY_BLOCK_LIST;
  const argon2 = deps.argon2 ?? ARGON2_PARAMS;
  const policy = deps.lockout ?? LOCKOUT_POLICY;
  const tickets = new Map<string, Ticket>();
  // Made up front so the first unknown NIP is not answered slower than the others.
  const dummyHash = hashPassword(random(16).toString('hex'), argon2);
  dummyHash.catch(() => {}); // awaited (and so reported) where it is used

  const USER_COLUMNS = `id, nip, nama, email, role, password_hash, must_change_password, totp_secret_enc, totp_pending_enc, totp_last_step,
    failed_count, locked_until, lock_count, disabled, last_login_at, created_at`;
  const byId = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`);
  const byNip = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE nip = ?`);
  const countUsers = db.prepare('SELECT count(*) AS n FROM users');
  const countActiveAdmins = db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0");
  const setThrottle = db.prepare('UPDATE users SET failed_count = ?, locked_until = ?, lock_count = ?, updated_at = ? WHERE id = ?');
  const unknownThrottle = db.prepare('SELECT failed_count, locked_until, lock_count FROM login_throttle WHERE nip = ?');
  const upsertUnknownThrottle = db.prepare(`
    INSERT INTO login_throttle (nip, failed_count, locked_until, lock_count, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (nip) DO UPDATE SET failed_count = excluded.failed_count, locked_until = excluded.locked_until,
      lock_count = excluded.lock_count, updated_at = excluded.updated_at`);
  const pruneUnknownThrottle = db.prepare('DELETE FROM login_throttle WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)');
  // Compare-and-set: of two logins racing with the same code, exactly one moves the step.
  const acceptStep = db.prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)');

  const nowMs = () => clock.now().getTime();
  const nowIso = () => clock.now().toISOString();

  function userById(id: number): UserRow | undefined {
    return byId.get(id) as UserRow | undefined;
  }

  function requireUser(id: number): UserRow {
    const row = userById(id);
    if (!row) throw new AppError('not_found', translate('auth.user_not_found'));
    return row;
  }

  function audit(actor: string, action: string, detail: Record<string, unknown> = {}, nip: string | null = null): void {
    deps.audit.append({ actor, action, nip, detail });
  }

  function failed(): AppError {
    return new AppError('unauthenticated', translate('auth.login_failed'));
  }

  function lockedError(remainingMs: number): AppError {
    return new AppError('unauthenticated', translate('auth.locked', { minutes: minutesLeft(remainingMs) }));
  }

  /**
   * One more failure for an account (or for an unknown but well-formed NIP, so a lockout
   * does not tell that the NIP has no account). Returns the lock's length if this failure
   * started one.
   */
  function recordFailure(target: { user: UserRow } | { nip: string | null }, reason: FailureReason, during?: 'reauthenticate' | 'change_password' | 'regenerate_codes'): number {
    return writeTransaction(db, () => {
      const now = nowMs();
      const actor = 'user' in target ? target.user.nip : (target.nip ?? 'unknown');
      audit(actor, 'auth.login_failed', during ? { reason, during } : { reason });
      let current: ThrottleState;
      if ('user' in target) {
        current = throttleOf(userById(target.user.id) ?? target.user);
      } else if (target.nip) {
        const row = unknownThrottle.get(target.nip) as Parameters<typeof throttleOf>[0] | undefined;
        current = row ? throttleOf(row) : { failedCount: 0, lockedUntil: null, lockCount: 0 };
      } else {
        return 0; // not a NIP at all: no account can be behind it, nothing to throttle
      }
      const next = afterFailure(current, now, policy);
      const { failedCount, lockedUntil, lockCount } = next.state;
      if ('user' in target) setThrottle.run(failedCount, lockedUntil, lockCount, nowIso(), target.user.id);
      else {
        pruneUnknownThrottle.run(now - 24 * 60 * 60_000, now);
        upsertUnknownThrottle.run(target.nip, failedCount, lockedUntil, lockCount, now);
      }
      if (!next.locked) return 0;
      const lockMs = lockedUntil! - now;
      audit(actor, 'auth.locked', { until: new Date(lockedUntil!).toISOString(), lockCount, minutes: minutesLeft(lockMs) });
      return lockMs;
    });
  }

  function currentLock(target: UserRow | string | null): number {
    if (target === null) return 0;
    if (typeof target !== 'string') return lockRemaining(throttleOf(userById(target.id) ?? target), nowMs());
    const row = unknownThrottle.get(target) as Parameters<typeof throttleOf>[0] | undefined;
    return row ? lockRemaining(throttleOf(row), nowMs()) : 0;
  }

  function loginResult(row: UserRow): LoginResult {
    return { user: authUser(row), mustChangePassword: row.must_change_password === 1, needsEnrolment: row.totp_secret_enc === null };
  }

  /** The end of every successful login: counters reset, time recorded, audited. */
  function succeed(row: UserRow, detail: Record<string, unknown>, extra?: () => void): LoginResult {
    writeTransaction(db, () => {
      extra?.();
      db.prepare('UPDATE users SET failed_count = 0, lock_count = 0, locked_until = NULL, last_login_at = ?, updated_at = ? WHERE id = ?').run(nowIso(), nowIso(), row.id);
      audit(row.nip, 'auth.login', detail);
    });
    return loginResult(requireUser(row.id));
  }

  function dropTickets(userId: number): void {
    for (const [id, ticket] of tickets) if (ticket.userId === userId) tickets.delete(id);
  }

  function pruneTickets(): void {
    const now = nowMs();
    for (const [id, ticket] of tickets) if (ticket.expiresAt <= now) tickets.delete(id);
  }

  /** A ticket's user, still fit to finish logging in; otherwise the ticket is gone. */
  function ticketUser(ticketId: string): { ticket: Ticket; user: UserRow } {
    const ticket = tickets.get(ticketId);
    const user = ticket && ticket.expiresAt > nowMs() ? userById(ticket.userId) : undefined;
    if (!ticket || !user || user.disabled === 1 || user.password_hash !== ticket.passwordHash) {
      tickets.delete(ticketId);
      throw new AppError('unauthenticated', translate('auth.ticket_expired'));
    }
    const lock = currentLock(user);
    if (lock > 0) {
      tickets.delete(ticketId);
      throw lockedError(lock);
    }
    return { ticket, user };
  }

  /** Records a failed second factor; throws the lock message if it locked the account. */
  function secondFactorFailed(user: UserRow, reason: FailureReason, message: string): never {
    const lockMs = recordFailure({ user }, reason);
    if (lockMs > 0) {
      dropTickets(user.id);
      throw lockedError(lockMs);
    }
    throw new AppError('unauthenticated', message);
  }

  function codeFailureMessage(check: Exclude<TotpCheck, { ok: true }>): string {
    return translate(check.reason === 'replayed' ? 'auth.code_replayed' : 'auth.code_wrong');
  }

  function openTotpSecret(user: UserRow): Buffer {
    return secrets.open(user.totp_secret_enc!, totpContext(user.id));
  }

  function requireAdmin(actor: AuthActor): UserRow {
    const row = userById(actor.userId);
    if (!row || row.disabled === 1 || row.role !== 'admin' || row.totp_secret_enc === null) {
      throw new AppError('forbidden', translate('auth.admin_only'));
    }
    return row;
  }

  function validNip(input: string): string {
    const check = checkAnyNip(input, todayOf(clock.now()));
    if (!check.ok) throw new AppError('invalid_input', nipProblemMessage(check.problem, translate));
    return check.nip;
  }

  function validNama(input: string): string {
    const nama = input.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (nama === '' || nama.length > NAMA_MAX) throw new AppError('invalid_input', translate('auth.nama_required', { max: NAMA_MAX }));
    return nama;
  }

  function validEmail(input: string | null | undefined): string | null {
    const email = input?.trim() ?? '';
    if (email === '') return null;
    if (!EMAIL.test(email) || email.length > 254) throw new AppError('invalid_input', translate('auth.email_invalid'));
    return email;
  }

  function checkNewPassword(password: string, context: { nip: string; nama: string; previous?: string }): void {
    const problem = passwordProblem(password, context, blockList);
    if (problem) throw new AppError('invalid_input', passwordProblemMessage(problem, translate));
  }

  function insertUser(input: { nip: string; nama: string; email: string | null; role: Role; passwordHash: string; mustChange: boolean }): number {
    if (byNip.get(input.nip)) throw new AppError('conflict', translate('auth.user_exists', { nip: input.nip }));
    const now = nowIso();
    const info = db
      .prepare(
        `INSERT INTO users (nip, nama, email, role, password_hash, password_changed_at, must_change_password, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.nip, input.nama, input.email, input.role, input.passwordHash, now, input.mustChange ? 1 : 0, now, now);
    return Number(info.lastInsertRowid);
  }

  function storeRecoveryCodes(userId: number, codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode(random))): string[] {
    db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
    const insert = db.prepare('INSERT INTO recovery_codes (user_id, salt, code_hash, created_at) VALUES (?, ?, ?, ?)');
    for (const code of codes) {
      const salt = random(RECOVERY_SALT_BYTES);
      insert.run(userId, salt, hashRecoveryCode(code, salt), nowIso());
    }
    return codes;
  }

  function summary(row: UserRow): UserSummary {
    const lock = lockRemaining(throttleOf(row), nowMs());
    return {
      id: row.id,
      nip: row.nip,
      nama: row.nama,
      email: row.email,
      role: row.role,
      disabled: row.disabled === 1,
      mfaEnrolled: row.totp_secret_enc !== null,
      mustChangePassword: row.must_change_password === 1,
      lockedUntil: lock > 0 ? new Date(row.locked_until!).toISOString() : null,
      lastLoginAt: row.last_login_at,
      createdAt: row.created_at,
    };
  }

  /** A user changed by an admin: the change and its audit entry commit together. */
  function adminChange(actor: AuthActor, userId: number, change: (admin: UserRow, target: UserRow) => { action: string; detail?: Record<string, unknown> } | null): UserSummary {
    writeTransaction(db, () => {
      const admin = requireAdmin(actor);
      const target = requireUser(userId);
      const done = change(admin, target);
      if (done) audit(admin.nip, done.action, done.detail ?? {}, target.nip);
    });
    return summary(requireUser(userId));
  }

  const service = {
    /** Whether the profile has any account yet (a fresh profile asks for its first admin). */
    status(): { bootstrapped: boolean } {
      return { bootstrapped: (countUsers.get() as { n: number }).n > 0 };
    },

    /** Creates the first admin of a fresh profile and starts their authenticator enrolment. */
    async bootstrapAdmin(input: { nip: string; nama: string; password: string; email?: string | null }): Promise<{ user: AuthUser; enrolment: Enrolment }> {
      if (service.status().bootstrapped) throw new AppError('conflict', translate('auth.already_bootstrapped'));
      const nip = validNip(input.nip);
      const nama = validNama(input.nama);
      const email = validEmail(input.email);
      checkNewPassword(input.password, { nip, nama });
      const passwordHash = await hashPassword(input.password, argon2);
      const userId = writeTransaction(db, () => {
        // Checked again under the write lock: two first starts must not make two admins.
        if (service.status().bootstrapped) throw new AppError('conflict', translate('auth.already_bootstrapped'));
        const id = insertUser({ nip, nama, email, role: 'admin', passwordHash, mustChange: false });
        audit(nip, 'user.created', { role: 'admin', bootstrap: true }, nip);
        return id;
      });
      return { user: authUser(requireUser(userId)), enrolment: await service.startEnrolment(userId) };
    },

    /** An admin creates a local account; the user changes the password and enrols at first login. */
    async createUser(actor: AuthActor, input: NewUser): Promise<UserSummary> {
      requireAdmin(actor);
      const nip = validNip(input.nip);
      const nama = validNama(input.nama);
      const email = validEmail(input.email);
      if (!ROLES.includes(input.role)) throw new AppError('invalid_input', translate('error.invalid_input', { detail: 'role' }));
      if (byNip.get(nip)) throw new AppError('conflict', translate('auth.user_exists', { nip }));
      checkNewPassword(input.password, { nip, nama });
      const passwordHash = await hashPassword(input.password, argon2);
      const userId = writeTransaction(db, () => {
        const admin = requireAdmin(actor);
        const id = insertUser({ nip, nama, email, role: input.role, passwordHash, mustChange: true });
        audit(admin.nip, 'user.created', { role: input.role }, nip);
        return id;
      });
      return summary(requireUser(userId));
    },

    /** Whether a NIP has a local account, and in what state (online activation asks before it starts). */
    accountState(nip: string): { disabled: boolean; mfaEnrolled: boolean } | null {
      const row = byNip.get(nip) as UserRow | undefined;
      return row ? { disabled: row.disabled === 1, mfaEnrolled: row.totp_secret_enc !== null } : null;
    },

    /** NIP and e-mail as online activation sends them: checked and normalized, or refused in the user's language. */
    activationIdentity(input: { nip: string; email: string }): { nip: string; email: string } {
      const email = validEmail(input.email);
      if (email === null) throw new AppError('invalid_input', translate('auth.email_invalid'));
      return { nip: validNip(input.nip), email };
    },

    /** The workstation's own password rules (length, breach list, NIP and name), in the user's language. */
    checkNewPassword(password: string, context: { nip: string; nama: string }): void {
      checkNewPassword(password, context);
    },

    /**
     * The end of an online activation: the server's account made here, or the local account
     * of that NIP updated (the server is the authority for password and authenticator), then
     * logged in. `store` runs in the same transaction, for the sealed server session. A local
     * account an admin disabled stays disabled. The server's role is taken, except that the
     * profile's last active admin stays admin (nobody could manage accounts otherwise).
     */
    async adoptServerAccount(input: ServerAccount, store?: (userId: number) => void): Promise<{ result: LoginResult; replaced: boolean }> {
      const nip = validNip(input.nip);
      const nama = validNama(input.nama);
      const email = validEmail(input.email);
      if (!ROLES.includes(input.role)) throw new AppError('invalid_input', translate('error.invalid_input', { detail: 'role' }));
      const passwordHash = await hashPassword(input.password, argon2);
      const outcome = writeTransaction(db, () => {
        const existing = byNip.get(nip) as UserRow | undefined;
        if (existing?.disabled === 1) throw new AppError('forbidden', translate('activation.local_disabled'));
        let step: number;
        let sealedSecret: (id: number) => Buffer | null;
        if ('secret' in input.totp) {
          const { secret } = input.totp;
          step = input.totp.step;
          sealedSecret = (id) => secrets.seal(Buffer.from(secret), totpContext(id));
        } else {
          if (!existing || existing.totp_secret_enc === null) throw new AppError('conflict', translate('activation.already_enrolled'));
          const check = checkTotp(openTotpSecret(existing), input.totp.code, clock.now(), existing.totp_last_step);
          // The server took the code, this authenticator does not: they are not the same app entry.
          if (!check.ok) throw new AppError('conflict', translate(check.reason === 'replayed' ? 'auth.code_replayed' : 'activation.secret_mismatch'));
          step = check.step;
          sealedSecret = () => null;
        }
        const detail: Record<string, unknown> = { ...input.detail, replaced: existing !== undefined, role: input.role };
        let id: number;
        if (existing) {
          id = existing.id;
          const lastAdmin = existing.role === 'admin' && input.role !== 'admin' && (countActiveAdmins.get() as { n: number }).n <= 1;
          if (lastAdmin) detail.roleKept = 'admin';
          else if (existing.role !== input.role) detail.from = existing.role;
          db.prepare(
            `UPDATE users SET nama = ?, email = coalesce(?, email), role = ?, password_hash = ?, password_changed_at = ?, must_change_password = 0,
               totp_secret_enc = coalesce(?, totp_secret_enc), totp_pending_enc = NULL, totp_last_step = ?, updated_at = ? WHERE id = ?`,
          ).run(nama, email, lastAdmin ? 'admin' : input.role, passwordHash, nowIso(), sealedSecret(id), step, nowIso(), id);
        } else {
          id = insertUser({ nip, nama, email, role: input.role, passwordHash, mustChange: false });
          db.prepare('UPDATE users SET totp_secret_enc = ?, totp_last_step = ? WHERE id = ?').run(sealedSecret(id), step, id);
        }
        if (input.recoveryCodes) storeRecoveryCodes(id, input.recoveryCodes);
        audit(nip, 'user.activated_online', detail, nip);
        store?.(id);
        return { result: succeed(requireUser(id), { factors: ['password', 'totp'], online: true }), replaced: existing !== undefined };
      });
      dropTickets(outcome.result.user.id);
      return outcome;
    },

    /** A fresh TOTP secret for the user to scan; replaces any earlier unconfirmed one. */
    async startEnrolment(userId: number): Promise<Enrolment> {
      const user = requireUser(userId);
      if (user.disabled === 1) throw new AppError('forbidden', translate('auth.account_disabled'));
      if (user.totp_secret_enc !== null) throw new AppError('conflict', translate('auth.mfa_already_enrolled'));
      const secret = random(TOTP_SECRET_BYTES);
      db.prepare('UPDATE users SET totp_pending_enc = ?, updated_at = ? WHERE id = ?').run(secrets.seal(secret, pendingContext(userId)), nowIso(), userId);
      const base32 = toBase32(secret);
      const uri = otpauthUri(base32, user.nip);
      return { uri, secret: base32, qrSvg: await qrSvg(uri) };
    },

    /** Enrolment completes only with a correct code from the app; returns the recovery codes, shown once. */
    confirmEnrolment(userId: number, code: string): { recoveryCodes: string[] } {
      const user = requireUser(userId);
      if (user.totp_secret_enc !== null) throw new AppError('conflict', translate('auth.mfa_already_enrolled'));
      if (user.totp_pending_enc === null) throw new AppError('conflict', translate('auth.mfa_no_pending'));
      const secret = secrets.open(user.totp_pending_enc, pendingContext(userId));
      const check = checkTotp(secret, code, clock.now(), user.totp_last_step);
      if (!check.ok) throw new AppError('invalid_input', codeFailureMessage(check));
      return writeTransaction(db, () => {
        const changed = db
          .prepare('UPDATE users SET totp_secret_enc = ?, totp_pending_enc = NULL, totp_last_step = ?, updated_at = ? WHERE id = ? AND totp_secret_enc IS NULL AND totp_pending_enc = ?')
          .run(secrets.seal(secret, totpContext(userId)), check.step, nowIso(), userId, user.totp_pending_enc);
        // Another window restarted enrolment between our read and this write.
        if (changed.changes !== 1) throw new AppError('conflict', translate('auth.mfa_no_pending'));
        const recoveryCodes = storeRecoveryCodes(userId);
        audit(user.nip, 'user.mfa_enrolled', {}, user.nip);
        return { recoveryCodes };
      });
    },

    /** Step 1: NIP and password. The answer never tells whether the NIP has an account. */
    async beginLogin(input: { nip: string; password: string }): Promise<BeginLoginResult> {
      pruneTickets();
      const nip = normalizeNip(input.nip);
      const wellFormed = /^\d{18}$/.test(nip) ? nip : null;
      const found = wellFormed ? (byNip.get(wellFormed) as UserRow | undefined) : undefined;
      const lock = currentLock(found ?? wellFormed);
      if (lock > 0) {
        audit(found?.nip ?? wellFormed ?? 'unknown', 'auth.login_failed', { reason: 'locked' });
        throw lockedError(lock);
      }
      // An unknown NIP is checked against a throwaway hash, so it is answered as slowly.
      const ok = await verifyPassword(found?.password_hash ?? (await dummyHash), input.password);
      // Re-read: the row may have changed while argon2 ran.
      const user = found ? userById(found.id) : undefined;
      if (!user) {
        const lockMs = recordFailure({ nip: wellFormed }, 'unknown_user');
        throw lockMs > 0 ? lockedError(lockMs) : failed();
      }
      if (!ok) {
        const lockMs = recordFailure({ user }, 'bad_password');
        throw lockMs > 0 ? lockedError(lockMs) : failed();
      }
      if (user.disabled === 1) {
        audit(user.nip, 'auth.login_failed', { reason: 'disabled' });
        throw failed();
      }
      if (needsRehash(user.password_hash, argon2)) {
        const upgraded = await hashPassword(input.password, argon2);
        db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(upgraded, user.id, user.password_hash);
      }
      const current = requireUser(user.id);
      if (current.totp_secret_enc === null) return { next: 'done', result: succeed(current, { factors: ['password'], needsEnrolment: true }) };
      const ticket = random(32).toString('base64url');
      const expiresAt = nowMs() + TICKET_TTL_MS;
      tickets.set(ticket, { userId: current.id, expiresAt, passwordHash: current.password_hash });
      return { next: 'code', ticket, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** Step 2: the code from the authenticator app. */
    completeLogin(input: { ticket: string; code: string }): LoginResult {
      const { user } = ticketUser(input.ticket);
      const check = checkTotp(openTotpSecret(user), input.code, clock.now(), user.totp_last_step);
      if (!check.ok) secondFactorFailed(user, check.reason === 'replayed' ? 'replayed_code' : 'bad_code', codeFailureMessage(check));
      const result = succeed(user, { factors: ['password', 'totp'], drift: check.step - timeStepAt(clock.now()) }, () => {
        // Stored with the login, under the write lock: a second window racing with the same code loses.
        if (acceptStep.run(check.step, user.id, check.step).changes !== 1) throw new AppError('unauthenticated', translate('auth.code_replayed'));
      });
      tickets.delete(input.ticket);
      return result;
    },

    /** Step 2 without the phone: one of the recovery codes, which is then used up. */
    completeLoginWithRecoveryCode(input: { ticket: string; recoveryCode: string }): LoginResult & { recoveryCodesLeft: number } {
      const { user } = ticketUser(input.ticket);
      const code = normalizeRecoveryCode(input.recoveryCode);
      const rows = db.prepare('SELECT id, salt, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').all(user.id) as { id: number; salt: Buffer; code_hash: Buffer }[];
      const match = code ? rows.find((row) => recoveryCodeMatches(code, row.salt, row.code_hash)) : undefined;
      if (!match) secondFactorFailed(user, 'bad_recovery_code', translate('auth.recovery_code_wrong'));
      const left = rows.length - 1;
      const result = succeed(user, { factors: ['password', 'recovery_code'] }, () => {
        // Used up under the write lock: the same code cannot open two sessions.
        if (db.prepare('UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL').run(nowIso(), match.id).changes !== 1) {
          throw new AppError('unauthenticated', translate('auth.recovery_code_wrong'));
        }
        audit(user.nip, 'user.recovery_code_used', { left }, user.nip);
      });
      tickets.delete(input.ticket);
      return { ...result, recoveryCodesLeft: left };
    },

    /** Both steps in one call (the CLI: --user, LEMARI_PASSWORD, LEMARI_OTP). */
    async login(input: { nip: string; password: string; code?: string }): Promise<LoginResult> {
      const begun = await service.beginLogin(input);
      if (begun.next === 'done') return begun.result;
      if (!input.code) {
        tickets.delete(begun.ticket);
        throw new AppError('unauthenticated', translate('auth.code_required'));
      }
      return service.completeLogin({ ticket: begun.ticket, code: input.code });
    },

    async loginWithRecoveryCode(input: { nip: string; password: string; recoveryCode: string }): Promise<LoginResult & { recoveryCodesLeft: number }> {
      const begun = await service.beginLogin(input);
      if (begun.next === 'done') {
        // Without an authenticator there are no recovery codes; the password was the login.
        return { ...begun.result, recoveryCodesLeft: 0 };
      }
      return service.completeLoginWithRecoveryCode({ ticket: begun.ticket, recoveryCode: input.recoveryCode });
    },

    logout(userId: number): void {
      dropTickets(userId);
      const user = userById(userId);
      if (user) writeTransaction(db, () => audit(user.nip, 'auth.logout'));
    },

    /** The idle lock's way back in: the password again, throttled like a login. */
    async reauthenticate(userId: number, password: string): Promise<LoginResult> {
      const user = requireUser(userId);
      const lock = currentLock(user);
      if (lock > 0) throw lockedError(lock);
      const ok = await verifyPassword(user.password_hash, password);
      const current = requireUser(userId);
      if (current.disabled === 1) throw new AppError('unauthenticated', translate('auth.account_disabled'));
      if (!ok) {
        const lockMs = recordFailure({ user: current }, 'bad_password', 'reauthenticate');
        throw lockMs > 0 ? lockedError(lockMs) : new AppError('unauthenticated', translate('auth.password_wrong'));
      }
      writeTransaction(db, () => {
        db.prepare('UPDATE users SET failed_count = 0, lock_count = 0, locked_until = NULL WHERE id = ?').run(userId);
        audit(current.nip, 'auth.resumed');
      });
      return loginResult(requireUser(userId));
    },

    /**
     * The current state of a logged-in user, for the caller to re-check on every call: null
     * once the account is disabled or gone, and the role as it is now, not as at login.
     */
    session(userId: number): LoginResult | null {
      const row = userById(userId);
      return row && row.disabled === 0 ? loginResult(row) : null;
    },

    async changePassword(userId: number, oldPassword: string, newPassword: string): Promise<void> {
      const user = requireUser(userId);
      const lock = currentLock(user);
      if (lock > 0) throw lockedError(lock);
      if (!(await verifyPassword(user.password_hash, oldPassword))) {
        const lockMs = recordFailure({ user }, 'bad_password', 'change_password');
        throw lockMs > 0 ? lockedError(lockMs) : new AppError('invalid_input', translate('auth.password_wrong'));
      }
      checkNewPassword(newPassword, { nip: user.nip, nama: user.nama, previous: oldPassword });
      const passwordHash = await hashPassword(newPassword, argon2);
      writeTransaction(db, () => {
        db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 0, updated_at = ? WHERE id = ?').run(passwordHash, nowIso(), nowIso(), userId);
        audit(user.nip, 'user.password_changed', { by: 'self' }, user.nip);
      });
      dropTickets(userId);
    },

    /** New recovery codes (the old ones stop working); needs a current authenticator code. */
    regenerateRecoveryCodes(userId: number, code: string): { recoveryCodes: string[] } {
      const user = requireUser(userId);
      if (user.totp_secret_enc === null) throw new AppError('conflict', translate('auth.mfa_not_enrolled'));
      const lock = currentLock(user);
      if (lock > 0) throw lockedError(lock);
      const check = checkTotp(openTotpSecret(user), code, clock.now(), user.totp_last_step);
      if (!check.ok) {
        const lockMs = recordFailure({ user }, check.reason === 'replayed' ? 'replayed_code' : 'bad_code', 'regenerate_codes');
        throw lockMs > 0 ? lockedError(lockMs) : new AppError('invalid_input', codeFailureMessage(check));
      }
      return writeTransaction(db, () => {
        if (acceptStep.run(check.step, userId, check.step).changes !== 1) throw new AppError('invalid_input', translate('auth.code_replayed'));
        const recoveryCodes = storeRecoveryCodes(userId);
        audit(user.nip, 'user.recovery_codes_regenerated', {}, user.nip);
        return { recoveryCodes };
      });
    },

    listUsers(): UserSummary[] {
      const rows = db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY nama COLLATE NOCASE, nip`).all() as UserRow[];
      return rows.map(summary);
    },

    setRole(actor: AuthActor, userId: number, role: Role): UserSummary {
      if (!ROLES.includes(role)) throw new AppError('invalid_input', translate('error.invalid_input', { detail: 'role' }));
      return adminChange(actor, userId, (_admin, target) => {
        if (target.role === role) return null;
        if (target.role === 'admin' && target.disabled === 0 && (countActiveAdmins.get() as { n: number }).n <= 1) {
          throw new AppError('conflict', translate('auth.last_admin'));
        }
        db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, nowIso(), target.id);
        return { action: 'user.role_changed', detail: { from: target.role, to: role } };
      });
    },

    disableUser(actor: AuthActor, userId: number): UserSummary {
      const result = adminChange(actor, userId, (admin, target) => {
        if (target.id === admin.id) throw new AppError('conflict', translate('auth.cannot_disable_self'));
        if (target.disabled === 1) return null;
        db.prepare('UPDATE users SET disabled = 1, updated_at = ? WHERE id = ?').run(nowIso(), target.id);
        return { action: 'user.disabled' };
      });
      dropTickets(userId);
      return result;
    },

    enableUser(actor: AuthActor, userId: number): UserSummary {
      return adminChange(actor, userId, (_admin, target) => {
        if (target.disabled === 0) return null;
        db.prepare('UPDATE users SET disabled = 0, updated_at = ? WHERE id = ?').run(nowIso(), target.id);
        return { action: 'user.enabled' };
      });
    },

    /** Ends a lockout before its time (the admin has checked who was locked out). */
    unlockUser(actor: AuthActor, userId: number): UserSummary {
      return adminChange(actor, userId, (_admin, target) => {
        db.prepare('UPDATE users SET failed_count = 0, lock_count = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(nowIso(), target.id);
        return { action: 'user.unlocked' };
      });
    },

    /** A forgotten password: the admin sets a new initial one, to be changed at next login. */
    async resetPassword(actor: AuthActor, userId: number, password: string): Promise<UserSummary> {
      requireAdmin(actor);
      const target = requireUser(userId);
      checkNewPassword(password, { nip: target.nip, nama: target.nama });
      const passwordHash = await hashPassword(password, argon2);
      const result = adminChange(actor, userId, () => {
        db.prepare(
          'UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 1, failed_count = 0, lock_count = 0, locked_until = NULL, updated_at = ? WHERE id = ?',
        ).run(passwordHash, nowIso(), nowIso(), userId);
        return { action: 'user.password_reset' };
      });
      dropTickets(userId);
      return result;
    },

    /** A lost phone without recovery codes: the user enrols a new authenticator at next login. */
    resetMfa(actor: AuthActor, userId: number): UserSummary {
      const result = adminChange(actor, userId, () => {
        db.prepare('UPDATE users SET totp_secret_enc = NULL, totp_pending_enc = NULL, totp_last_step = NULL, updated_at = ? WHERE id = ?').run(nowIso(), userId);
        db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
        return { action: 'user.mfa_reset' };
      });
      dropTickets(userId);
      return result;
    },
  };

  return service;
}

export type AuthService = ReturnType<typeof createAuth>;
export { loadPasswordBlockList, type PasswordBlockList } from './common-passwords';
export { ARGON2_PARAMS, PASSWORD_MAX, PASSWORD_MIN, type Argon2Params } from './password';
export { LOCKOUT_POLICY, type LockoutPolicy } from '../../../common/auth/lockout';
export { TOTP_DIGITS, TOTP_ISSUER, TOTP_PERIOD, qrSvg } from './totp';
export { RECOVERY_CODE_COUNT } from './recovery';
export { createActivation, readServerSession, writeServerSession, type ActivationServer, type ActivationService, type StoredServerSession } from './activation';
