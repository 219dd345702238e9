// Throttling of wrong passwords and codes: after 5 in a row the account locks, for longer
// each time (1 min, 5 min, 15 min, then 1 h per lock) until a login succeeds. Pure
// functions over the stored counters, so the rule is tested without a database, and the
// workstation and the central server lock accounts the same way.

export interface LockoutPolicy {
  maxFailures: number;
  /** Lock lengths in ms for the 1st, 2nd, ... lock; the last one repeats. */
  delaysMs: readonly number[];
}

export const LOCKOUT_POLICY: LockoutPolicy = {
  maxFailures: 5,
  delaysMs: [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000],
};

export interface ThrottleState {
  failedCount: number;
  /** Epoch ms; null when not locked. */
  lockedUntil: number | null;
  lockCount: number;
}

/** Milliseconds left on the lock at `nowMs`, 0 when the account may try. */
export function lockRemaining(state: ThrottleState, nowMs: number): number {
  return state.lockedUntil !== null && state.lockedUntil > nowMs ? state.lockedUntil - nowMs : 0;
}

/** The counters after one more failure; `locked` is true when this failure started a lock. */
export function afterFailure(state: ThrottleState, nowMs: number, policy: LockoutPolicy = LOCKOUT_POLICY): { state: ThrottleState; locked: boolean } {
  const failedCount = state.failedCount + 1;
  if (failedCount < policy.maxFailures) return { state: { ...state, failedCount }, locked: false };
  const lockCount = state.lockCount + 1;
  const delay = policy.delaysMs[Math.min(lockCount, policy.delaysMs.length) - 1];
  // The count starts again after the lock, so each lock ends with another 5 tries.
  return { state: { failedCount: 0, lockedUntil: nowMs + delay, lockCount }, locked: true };
}

/** Whole minutes to tell the person, never 0 while locked. */
export function minutesLeft(remainingMs: number): number {
  return Math.max(1, Math.ceil(remainingMs / 60_000));
}
