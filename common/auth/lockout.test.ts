import { describe, expect, it } from 'vitest';
import { afterFailure, lockRemaining, minutesLeft, type ThrottleState } from './lockout';

describe('lockout', () => {
  it('locks on the fifth failure in a row, for longer each time, capped at an hour', () => {
    let state: ThrottleState = { failedCount: 0, lockedUntil: null, lockCount: 0 };
    const locks: number[] = [];
    let now = 0;
    for (let attempt = 1; attempt <= 30; attempt++) {
      const next = afterFailure(state, now);
      state = next.state;
      if (next.locked) {
        locks.push((state.lockedUntil! - now) / 60_000);
        now = state.lockedUntil!;
      }
      expect(next.locked).toBe(attempt % 5 === 0);
    }
    expect(locks).toEqual([1, 5, 15, 60, 60, 60]);
  });

  it('tells how long a lock has left, in whole minutes rounded up', () => {
    const state = { failedCount: 0, lockedUntil: 90_000, lockCount: 1 };
    expect(lockRemaining(state, 30_000)).toBe(60_000);
    expect(lockRemaining(state, 90_000)).toBe(0);
    expect(minutesLeft(61_000)).toBe(2);
    expect(minutesLeft(1_000)).toBe(1);
  });
});
