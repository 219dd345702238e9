// Step tokens: what a client holds between the calls of a login or an enrolment. Signed
// like access tokens (any node opens one another node issued) but with their own `typ`,
// so a step token is never an access token. Each names the password hash it was issued
// under: a password changed meanwhile ends it.
import { createHash } from 'node:crypto';
import { DmsError } from '../http/errors';
import type { TokenSigner } from './tokens';

/** `login`: waiting for the TOTP code. `enrol`: password proven, no authenticator yet. */
export type StepKind = 'login' | 'enrol';

export type DeviceChoice = { id: string } | { name: string };

export interface StepClaims {
  typ: `step-${StepKind}`;
  sub: number;
  /** Fingerprint of the password hash the step was issued under. */
  pwd: string;
  dev?: DeviceChoice;
  exp: number; // seconds
}

export const STEP_TTL_SECONDS: Record<StepKind, number> = {
  login: 5 * 60,
  // Installing an app and scanning a code takes longer than typing one.
  enrol: 15 * 60,
};

export function passwordFingerprint(passwordHash: string | null): string {
  return createHash('sha256')
    .update(passwordHash ?? '')
    .digest('base64url')
    .slice(0, 22);
}

export function issueStep(signer: TokenSigner, nowMs: number, kind: StepKind, p: { userId: number; passwordHash: string | null; device?: DeviceChoice }): { stepToken: string; expiresAt: string } {
  const exp = Math.floor(nowMs / 1000) + STEP_TTL_SECONDS[kind];
  const claims: StepClaims = { typ: `step-${kind}`, sub: p.userId, pwd: passwordFingerprint(p.passwordHash), ...(p.device ? { dev: p.device } : {}), exp };
  return { stepToken: signer.sign(claims), expiresAt: new Date(exp * 1000).toISOString() };
}

/** The claims of a valid, unexpired step token of `kind`; unauthenticated otherwise. */
export function openStep(signer: TokenSigner, nowMs: number, token: string, kind: StepKind): StepClaims {
  const claims = signer.open(token);
  if (!claims || claims.typ !== `step-${kind}` || typeof claims.sub !== 'number' || typeof claims.exp !== 'number' || typeof claims.pwd !== 'string') {
    throw new DmsError('unauthenticated', 'The step token is not valid; start again.');
  }
  if (claims.exp * 1000 <= nowMs) throw new DmsError('unauthenticated', 'The step token has expired; start again.');
  return claims as unknown as StepClaims;
}
