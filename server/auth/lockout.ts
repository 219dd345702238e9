// Wrong passwords and codes lock an account for a growing delay, by the workstation's rule
// (common/auth/lockout.ts), with the counters in the database so every node counts the same
// failures. A NIP without an account is counted in login_throttle and locks alike, so
// a lock never tells that a NIP has an account.
import { afterFailure, lockRemaining, LOCKOUT_POLICY, type ThrottleState } from '../../common/auth/lockout';
import type { Db, Sql } from '../db';
import { DmsError } from '../http/errors';

export type LockTarget = { userId: number } | { nip: string };

interface CounterRow {
  failed_attempts: number;
  lock_count: number;
  locked_until: string | null;
}

function stateOf(row: CounterRow | undefined): ThrottleState {
  return row
    ? { failedCount: row.failed_attempts, lockCount: row.lock_count, lockedUntil: row.locked_until === null ? null : Date.parse(row.locked_until) }
    : { failedCount: 0, lockCount: 0, lockedUntil: null };
}

async function counters(sql: Sql, target: LockTarget, lock = false): Promise<CounterRow | undefined> {
  const forUpdate = lock ? ' for update' : '';
  const { rows } =
    'userId' in target
      ? await sql.query<CounterRow>(`select failed_attempts, lock_count, locked_until from users where id = $1${forUpdate}`, [target.userId])
      : await sql.query<CounterRow>(`select failed_attempts, lock_count, locked_until from login_throttle where nip = $1${forUpdate}`, [target.nip]);
  return rows[0];
}

/** 423 account_locked, with Retry-After in whole seconds. */
export function lockedError(remainingMs: number): DmsError {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return new DmsError('account_locked', `Too many wrong attempts: this account is locked; try again in ${seconds} s.`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
}

/** Throws account_locked while the target is locked. */
export async function assertNotLocked(sql: Sql, target: LockTarget, nowMs: number): Promise<void> {
  const remaining = lockRemaining(stateOf(await counters(sql, target)), nowMs);
  if (remaining > 0) throw lockedError(remaining);
}

/**
 * Counts one more failure (committed whatever the request does next) and returns the
 * error to answer: account_locked when this failure started a lock, else `otherwise`.
 */
export async function recordFailure(db: Db, target: LockTarget, nowMs: number, otherwise: DmsError): Promise<DmsError> {
  const lockedMs = await db.transaction(async (tx) => {
    if ('nip' in target) {
      await tx.query('insert into login_throttle (nip, updated_at) values ($1, $2) on conflict (nip) do nothing', [target.nip, new Date(nowMs).toISOString()]);
    }
    // Row-locked: two nodes counting failures of one account at once both count.
    const next = afterFailure(stateOf(await counters(tx, target, true)), nowMs, LOCKOUT_POLICY);
    const { failedCount, lockCount, lockedUntil } = next.state;
    const until = lockedUntil === null ? null : new Date(lockedUntil).toISOString();
    if ('userId' in target) {
      await tx.query('update users set failed_attempts = $2, lock_count = $3, locked_until = $4 where id = $1', [target.userId, failedCount, lockCount, until]);
    } else {
      await tx.query('update login_throttle set failed_attempts = $2, lock_count = $3, locked_until = $4, updated_at = $5 where nip = $1', [
        target.nip,
        failedCount,
        lockCount,
        until,
        new Date(nowMs).toISOString(),
      ]);
    }
    return next.locked ? lockedUntil! - nowMs : 0;
  });
  return lockedMs > 0 ? lockedError(lockedMs) : otherwise;
}

/** A successful login (or a proven e-mail address) starts the count again. */
export async function clearFailures(sql: Sql, userId: number): Promise<void> {
  await sql.query('update users set failed_attempts = 0, lock_count = 0, locked_until = null where id = $1', [userId]);
}
