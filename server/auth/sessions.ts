// Sessions: a short-lived access token plus an opaque refresh token that rotates on every
// use. The refresh tokens of one login form a family; a spent token presented again means
// two parties hold the family (a stolen copy), so the whole family is revoked and both must
// log in again. An expired refresh token answers session_revoked too, not token_expired:
// there is nothing left to refresh with, only a new login helps.
//
// Two refreshes racing with one token count as a replay (the row lock serializes them and
// the second finds the token spent), so a workstation refreshes from one place at a time.
//
// One exception keeps a bad link from ending a login: an exchange whose answer was lost. The
// workstation can then only present the spent token again. If that happens within the grace
// period of its use and the token it was exchanged for has never been used, nobody else can
// have continued the login, so the unused successor is retired and a new one issued. A stolen
// spent token is thus worth something only in that window and only while the rightful client
// has not refreshed since; a successor that was used means two parties, and revokes all.
import { randomUUID } from 'node:crypto';
import type { Session } from '../../common/dms/auth';
import type { Db, Sql } from '../db';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import { newOpaqueToken, type SecretDigest } from './secrets';
import type { Role } from './tokens';

export type RevokeReason = 'logout' | 'replayed' | 'device_revoked' | 'password_reset' | 'user_disabled';

const DAY_MS = 24 * 60 * 60_000;

interface ProfileRow {
  nip: string;
  name: string;
  role: Role;
  instansi_id: string;
  instansi_name: string;
}

/** Revokes the live families of a user or of a device: their refresh tokens stop working. */
export async function revokeFamilies(sql: Sql, where: { userId: number } | { deviceId: string } | { familyId: string }, reason: RevokeReason, nowIso: string): Promise<void> {
  const [column, value] = 'userId' in where ? ['user_id', where.userId] : 'deviceId' in where ? ['device_id', where.deviceId] : ['id', where.familyId];
  await sql.query(`update refresh_families set revoked_at = $2, revoked_reason = $3 where ${column} = $1 and revoked_at is null`, [value, nowIso, reason]);
}

export function sessions(deps: Pick<ServerDeps, 'signer' | 'config' | 'now'>, digest: () => Promise<SecretDigest>) {
  const nowIso = () => new Date(deps.now()).toISOString();

  /** A new refresh token in `familyId` (its hash too, for the token it replaces), the access token, and who the user is. */
  async function issue(sql: Sql, familyId: string, userId: number, deviceId: string): Promise<Session & { tokenHash: string }> {
    const refreshToken = newOpaqueToken();
    const refreshExpires = new Date(deps.now() + deps.config.refreshTokenDays * DAY_MS).toISOString();
    const tokenHash = (await digest()).digest('refresh', refreshToken);
    await sql.query('insert into refresh_tokens (token_hash, family_id, created_at, expires_at) values ($1, $2, $3, $4)', [
      tokenHash,
      familyId,
      nowIso(),
      refreshExpires,
    ]);
    await sql.query('update devices set last_seen_at = $2 where id = $1', [deviceId, nowIso()]);
    const { rows } = await sql.query<ProfileRow>(
      'select u.nip, u.name, u.role, i.id as instansi_id, i.name as instansi_name from users u join instansi i on i.id = u.instansi_id where u.id = $1',
      [userId],
    );
    const user = rows[0];
    const access = deps.signer.issueAccess({ userId, instansiId: user.instansi_id, deviceId }, deps.config.accessTokenSeconds);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: refreshExpires,
      deviceId,
      user: { nip: user.nip, name: user.name, role: user.role, instansi: { id: user.instansi_id, name: user.instansi_name } },
      tokenHash,
    };
  }

  /** The session as the client sees it (the successor's hash stays on the server). */
  function answer({ tokenHash: _hash, ...session }: Session & { tokenHash: string }): Session {
    return session;
  }

  return {
    /** The end of a successful login: a new family on this device. */
    async open(sql: Sql, userId: number, deviceId: string): Promise<Session> {
      const familyId = randomUUID();
      await sql.query('insert into refresh_families (id, user_id, device_id, created_at) values ($1, $2, $3, $4)', [familyId, userId, deviceId, nowIso()]);
      return answer(await issue(sql, familyId, userId, deviceId));
    },

    async refresh(db: Db, refreshToken: string): Promise<Session> {
      const hash = (await digest()).digest('refresh', refreshToken);
      const outcome = await db.transaction<{ error: string } | { session: Session }>(async (tx) => {
        const { rows } = await tx.query<{
          family_id: string;
          expires_at: string;
          used_at: string | null;
          replaced_by: string | null;
          successor_used: string | null;
          family_revoked: string | null;
          user_id: number;
          device_id: string;
          device_revoked: string | null;
          status: string;
        }>(
          `select t.family_id, t.expires_at, t.used_at, t.replaced_by, s.used_at as successor_used, f.revoked_at as family_revoked,
                  f.user_id, f.device_id, d.revoked_at as device_revoked, u.status
             from refresh_tokens t
             left join refresh_tokens s on s.token_hash = t.replaced_by
             join refresh_families f on f.id = t.family_id
             join devices d on d.id = f.device_id
             join users u on u.id = f.user_id
            where t.token_hash = $1
              for update of t, f`,
          [hash],
        );
        const row = rows[0];
        if (!row) return { error: 'This refresh token is not known; log in again.' };
        if (row.family_revoked) return { error: 'This login has ended; log in again.' };
        const lostAnswer =
          row.used_at !== null && row.replaced_by !== null && row.successor_used === null && deps.now() - Date.parse(row.used_at) <= deps.config.refreshReuseGraceSeconds * 1000;
        if (row.used_at && !lostAnswer) {
          // Committed before answering: the revocation must outlive this request's error.
          await revokeFamilies(tx, { familyId: row.family_id }, 'replayed', nowIso());
          return { error: 'This refresh token was already used, so every token of this login is revoked; log in again.' };
        }
        if (Date.parse(row.expires_at) <= deps.now()) return { error: 'This refresh token has expired; log in again.' };
        if (row.device_revoked) return { error: 'This device has been revoked; log in again.' };
        if (row.status !== 'active') return { error: 'This account is not active.' };
        const session = await issue(tx, row.family_id, row.user_id, row.device_id);
        if (lostAnswer) {
          // The successor whose answer was lost is retired (presented later, it counts as a replay); the grace still runs from the first use.
          await tx.query('update refresh_tokens set used_at = $2 where token_hash = $1', [row.replaced_by, nowIso()]);
          await tx.query('update refresh_tokens set replaced_by = $2 where token_hash = $1', [hash, session.tokenHash]);
        } else {
          await tx.query('update refresh_tokens set used_at = $2, replaced_by = $3 where token_hash = $1', [hash, nowIso(), session.tokenHash]);
        }
        return { session: answer(session) };
      });
      if ('error' in outcome) throw new DmsError('session_revoked', outcome.error);
      return outcome.session;
    },

    /** Ends the login the token belongs to, spent or not; an unknown token is no error. */
    async logout(sql: Sql, refreshToken: string): Promise<void> {
      const hash = (await digest()).digest('refresh', refreshToken);
      await sql.query(
        `update refresh_families set revoked_at = $2, revoked_reason = 'logout'
          where revoked_at is null and id = (select family_id from refresh_tokens where token_hash = $1)`,
        [hash, nowIso()],
      );
    },
  };
}

export type Sessions = ReturnType<typeof sessions>;
