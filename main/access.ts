// Who may call what: the contract declares each method's access, and every shell keeps
// one Session per connection (a browser tab's cookie, an Electron window, a CLI run).
// main/api.ts asks `authorize` before any handler runs.

import type { Access, Role } from '../common/contract';
import type { ErrorCode } from '../common/errors';

export interface SessionUser {
  id: number;
  nip: string;
  nama: string;
  role: Role;
}

export interface Session {
  user: SessionUser | null;
  /** True once the TOTP code (or a recovery code) was accepted for this login. */
  mfa: boolean;
  /** An admin set the password: only changing it (and enrolment) until it is changed. */
  mustChangePassword: boolean;
  /** When the session last made a call (ms since epoch), for the idle lock. */
  lastActivity: number;
  /** Set by the idle lock: only the password brings the session back. */
  locked: boolean;
}

export function newSession(now: number): Session {
  return { user: null, mfa: false, mustChangePassword: false, lastActivity: now, locked: false };
}

/** null = allowed; otherwise the error code to answer with. */
export type Refusal = 'login' | 'locked' | 'mfa' | 'change_password' | 'role';

/** null = allowed; otherwise why not (each maps to an error code and a message). */
export function authorize(access: Access, session: Session): Refusal | null {
  if (access === 'public') return null;
  if (!session.user) return 'login';
  if (session.locked) return 'locked';
  if (access === 'enrolment') return null;
  if (!session.mfa) return 'mfa';
  if (session.mustChangePassword) return 'change_password';
  return access.includes(session.user.role) ? null : 'role';
}

export function refusalCode(refusal: Refusal): Extract<ErrorCode, 'unauthenticated' | 'forbidden'> {
  return refusal === 'role' || refusal === 'change_password' ? 'forbidden' : 'unauthenticated';
}

/** Locks a session that has been idle longer than the limit (0 = never). */
export function applyIdleLock(session: Session, now: number, idleMinutes: number): void {
  if (session.user && idleMinutes > 0 && now - session.lastActivity > idleMinutes * 60_000) session.locked = true;
}
