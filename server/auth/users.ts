// Accounts as the auth routes and the admin CLI read and make them: one row per NIP, in
// one instansi, `pending` until its authenticator is activated.
import { randomBytes } from 'node:crypto';
import { todayOf } from '../../common/dates';
import { checkAnyNip } from '../../common/nip';
import { otpauthUri, toBase32, TOTP_SECRET_BYTES } from '../../common/auth/totp';
import type { Sql } from '../db';
import { DmsError } from '../http/errors';
import { sealPurpose, type SecretSealer } from './sealing';
import { formatResetCode, newResetCode, type SecretDigest } from './secrets';
import type { Role } from './tokens';

export interface UserRow {
  id: number;
  instansi_id: string;
  nip: string;
  name: string;
  email: string | null;
  role: Role;
  status: 'pending' | 'active' | 'disabled';
  password_hash: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
}

const USER_COLUMNS = 'id, instansi_id, nip, name, email, role, status, password_hash, totp_secret, totp_pending_secret, totp_last_step';

export async function userByNip(sql: Sql, nip: string): Promise<UserRow | undefined> {
  return (await sql.query<UserRow>(`select ${USER_COLUMNS} from users where nip = $1`, [nip])).rows[0];
}

export async function userById(sql: Sql, id: number): Promise<UserRow | undefined> {
  return (await sql.query<UserRow>(`select ${USER_COLUMNS} from users where id = $1`, [id])).rows[0];
}

/** A new TOTP secret, kept pending until a code from the app confirms it was scanned. */
export async function newPendingTotp(sql: Sql, sealer: SecretSealer, user: { id: number; nip: string }): Promise<{ otpauthUri: string; secret: string }> {
  const secret = toBase32(randomBytes(TOTP_SECRET_BYTES));
  await sql.query('update users set totp_pending_secret = $2, updated_at = now() where id = $1', [user.id, sealer.seal(sealPurpose.totp(user.nip), secret)]);
  return { otpauthUri: otpauthUri(secret, user.nip), secret };
}

/** Stores a one-time code for reset/confirm (replacing any earlier one); the code itself is not kept. */
export async function storeResetCode(sql: Sql, digest: SecretDigest, userId: number, code: string, nowMs: number, validMs: number): Promise<string> {
  const expiresAt = new Date(nowMs + validMs).toISOString();
  await sql.query(
    `insert into reset_codes (user_id, code_hash, expires_at, attempts, created_at) values ($1, $2, $3, 0, $4)
     on conflict (user_id) do update set code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0, created_at = excluded.created_at`,
    [userId, digest.digest('reset', code), expiresAt, new Date(nowMs).toISOString()],
  );
  return expiresAt;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_MAX = 200;

/** A holder's name as stored: NFC, single spaces, 1 to 200 characters. */
export function checkedName(input: string): string {
  const name = input.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name === '' || name.length > NAME_MAX) throw new DmsError('invalid_input', `A name is 1 to ${NAME_MAX} characters.`);
  return name;
}

export function checkedEmail(input: string): string {
  const email = input.trim();
  if (!EMAIL.test(email) || email.length > 254) throw new DmsError('invalid_input', `Not an e-mail address: ${input}.`);
  return email;
}

export interface NewAccount {
  instansiId: string;
  nip: string;
  name: string;
  email: string;
  role: Role;
}

/** What the operator hands to the new user: the code for reset/confirm and the authenticator to scan. */
export interface AccountActivation {
  userId: number;
  nip: string;
  activationCode: string;
  activationCodeExpiresAt: string;
  otpauthUri: string;
  totpSecret: string;
}

/** How long an activation code made by the operator stays valid: it is handed over in person. */
export const ACTIVATION_CODE_MS = 72 * 60 * 60_000;

/**
 * A pending account with a one-time activation code and a pending authenticator secret.
 * The user sets their own password with the code (reset/confirm), then confirms the
 * authenticator with a code from the app (mfa/activate): no password ever passes through
 * the operator's hands.
 */
export async function createPendingAccount(sql: Sql, digest: SecretDigest, sealer: SecretSealer, input: NewAccount, nowMs: number): Promise<AccountActivation> {
  const check = checkAnyNip(input.nip, todayOf(new Date(nowMs)));
  if (!check.ok) throw new DmsError('invalid_input', `Not a valid NIP: ${input.nip} (${check.problem.reason}).`);
  const name = checkedName(input.name);
  const email = checkedEmail(input.email);
  const instansi = await sql.query('select 1 from instansi where id = $1', [input.instansiId]);
  if (instansi.rows.length === 0) throw new DmsError('not_found', `No instansi ${input.instansiId}.`);
  if (await userByNip(sql, check.nip)) throw new DmsError('conflict', `An account with NIP ${check.nip} exists already.`);
  const { rows } = await sql.query<{ id: number }>("insert into users (instansi_id, nip, name, email, role, status) values ($1, $2, $3, $4, $5, 'pending') returning id", [
    input.instansiId,
    check.nip,
    name,
    email,
    input.role,
  ]);
  const userId = rows[0].id;
  const code = newResetCode();
  const activationCodeExpiresAt = await storeResetCode(sql, digest, userId, code, nowMs, ACTIVATION_CODE_MS);
  const totp = await newPendingTotp(sql, sealer, { id: userId, nip: check.nip });
  return { userId, nip: check.nip, activationCode: formatResetCode(code), activationCodeExpiresAt, otpauthUri: totp.otpauthUri, totpSecret: totp.secret };
}
