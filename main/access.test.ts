import { describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type Role } from '../common/contract';
import { applyIdleLock, authorize, newSession, type Session } from './access';

function session(role: Role | null, mfa = true): Session {
  return { ...newSession(0), user: role ? { id: 1, nip: '199001012015031001', nama: 'Budi', role } : null, mfa };
}

describe('authorize', () => {
  it('lets anyone call public methods and nobody else without a login', () => {
    expect(authorize('public', session(null))).toBeNull();
    expect(authorize('enrolment', session(null))).toBe('login');
    expect(authorize(['clerk'], session(null))).toBe('login');
  });

  it('keeps a user who has not passed MFA to the enrolment methods', () => {
    expect(authorize('enrolment', session('admin', false))).toBeNull();
    expect(authorize(['admin'], session('admin', false))).toBe('mfa');
  });

  it('answers forbidden for a role the method does not allow', () => {
    expect(authorize(['admin'], session('clerk'))).toBe('role');
    expect(authorize(['clerk', 'admin'], session('clerk'))).toBeNull();
  });

  it('treats a locked session as logged out', () => {
    const s = session('admin');
    s.lastActivity = 0;
    applyIdleLock(s, 16 * 60_000, 15);
    expect(s.locked).toBe(true);
    expect(authorize(['admin'], s)).toBe('locked');
  });

  it('keeps a user with an admin-set password to changing it', () => {
    const s = { ...session('admin'), mustChangePassword: true };
    expect(authorize(['admin'], s)).toBe('change_password');
    expect(authorize('enrolment', s)).toBeNull();
  });

  it('does not lock when the idle limit is off or not reached', () => {
    const s = session('admin');
    applyIdleLock(s, 14 * 60_000, 15);
    applyIdleLock(s, 10 ** 9, 0);
    expect(s.locked).toBe(false);
  });

  it('declares access for every contract method', () => {
    for (const name of METHOD_NAMES) expect(contract[name].access, name).toBeDefined();
  });
});
