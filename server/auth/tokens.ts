// Access tokens: short-lived, signed with HMAC-SHA256 by a key every node reads from the
// database, so any node verifies a token another node issued. A token names the user,
// instansi, device and role; the device and user are re-checked against the database on
// every request, so revoking a device or disabling a user takes effect at once.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import { loadSealedKey, type SecretSealer } from './sealing';
import { DmsError } from '../http/errors';

export type Role = 'clerk' | 'verifier' | 'admin';

/** Who is calling: resolved from a valid access token. */
export interface Principal {
  userId: number;
  nip: string;
  instansiId: string;
  deviceId: string;
  role: Role;
}

export interface AccessClaims {
  typ: 'access';
  sub: number;
  ins: string;
  dev: string;
  iat: number; // seconds
  exp: number; // seconds
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Reads the signing key, creating it once if no node has yet; sealed under the server key (sealing.ts). */
export async function loadSigningKey(db: Db, sealer: SecretSealer, name = 'access-token'): Promise<Buffer> {
  return loadSealedKey(db, sealer, name);
}

export class TokenSigner {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  /** Signs any JSON claims object (access tokens, and short-lived step tokens of login). */
  sign(claims: object): string {
    const payload = b64(JSON.stringify(claims));
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims of a token this server signed, or null when forged or malformed. */
  open(token: string): Record<string, unknown> | null {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  issueAccess(p: { userId: number; instansiId: string; deviceId: string }, ttlSeconds: number): { token: string; expiresAt: string } {
    const iat = Math.floor(this.now() / 1000);
    const claims: AccessClaims = { typ: 'access', sub: p.userId, ins: p.instansiId, dev: p.deviceId, iat, exp: iat + ttlSeconds };
    return { token: this.sign(claims), expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  /** Verifies signature, type and expiry; throws the API's 401 codes. */
  verifyAccess(token: string): AccessClaims {
    const claims = this.open(token);
    if (!claims || claims.typ !== 'access' || typeof claims.sub !== 'number' || typeof claims.exp !== 'number') {
      throw new DmsError('unauthenticated', 'The access token is not valid.');
    }
    if (claims.exp * 1000 <= this.now()) throw new DmsError('token_expired', 'The access token has expired; refresh it.');
    return claims as unknown as AccessClaims;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** The claims of a request's `Authorization: Bearer` access token, checked by its signature and expiry alone. */
export function accessClaims(signer: TokenSigner, header: string | undefined): AccessClaims {
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header ?? '');
  if (!match) throw new DmsError('unauthenticated', 'This route needs an access token (Authorization: Bearer).');
  return signer.verifyAccess(match[1]);
}

/** What the database holds of a token's user and device: PRINCIPAL_COLUMNS over principalJoins. */
export interface PrincipalRow {
  p_nip: string | null;
  p_role: Role | null;
  p_instansi: string | null;
  p_status: string | null;
  p_revoked_at: string | null;
  p_device_instansi: string | null;
}

export const PRINCIPAL_COLUMNS = 'pu.nip as p_nip, pu.role as p_role, pu.instansi_id as p_instansi, pu.status as p_status, pd.revoked_at as p_revoked_at, pd.instansi_id as p_device_instansi';

/** Left joins of the token's user (parameter number `user`) and device (`device`), for PRINCIPAL_COLUMNS. */
export const principalJoins = (user: number, device: number) => `left join users pu on pu.id = $${user} left join devices pd on pd.id = $${device}`;

/** The caller, once the database confirmed the token's user and device; throws the API's 401 codes otherwise. */
export function principalOf(claims: AccessClaims, row: PrincipalRow | undefined): Principal {
  if (!row || row.p_nip === null || row.p_instansi !== claims.ins || row.p_device_instansi !== claims.ins) {
    throw new DmsError('unauthenticated', 'The access token is not valid.');
  }
  if (row.p_revoked_at) throw new DmsError('session_revoked', 'This device has been revoked; log in again.');
  if (row.p_status !== 'active') throw new DmsError('session_revoked', 'This account is not active.');
  return { userId: claims.sub, nip: row.p_nip, instansiId: claims.ins, deviceId: claims.dev, role: row.p_role! };
}

/** Resolves the caller of a request from its `Authorization: Bearer` header. */
export async function authenticate(db: Db, signer: TokenSigner, header: string | undefined): Promise<Principal> {
  const claims = accessClaims(signer, header);
  const { rows } = await db.query<PrincipalRow>(`select ${PRINCIPAL_COLUMNS} from (select 1) as one ${principalJoins(1, 2)}`, [claims.sub, claims.dev]);
  return principalOf(claims, rows[0]);
}
