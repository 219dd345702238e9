// server/auth/accounts.ts: the handlers of the `users.*` routes (common/dms/users.ts), with
// which an instansi's admin keeps its accounts: the operator's CLI makes the first admin,
// and that admin makes everyone else here. Every query is scoped to the admin's instansi;
// an account of another instansi answers not_found like one that does not exist.
import type { Account, UpdateAccountInput } from '../../common/dms/users';
import type { Db, Sql } from '../db';
import { DmsError } from '../http/errors';
import type { Handlers } from '../http/routes';
import { newAccountMail } from '../mail/messages';
import type { AuthContext } from './context';
import { revokeFamilies } from './sessions';
import { ACTIVATION_CODE_MS, checkedEmail, checkedName, createPendingAccount } from './users';

type Own = { [K in keyof Handlers as K extends `users.${string}` ? K : never]: Handlers[K] };

interface AccountRow {
  id: number;
  nip: string;
  name: string;
  email: string | null;
  role: Account['role'];
  status: Account['status'];
  created_at: string;
  updated_at: string;
}

const ACCOUNT_COLUMNS = 'id, nip, name, email, role, status, created_at, updated_at';
const ACCOUNT_SELECT = `select ${ACCOUNT_COLUMNS} from users`;

function accountOf(row: AccountRow): Account {
  return { nip: row.nip, name: row.name, email: row.email, role: row.role, status: row.status, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** The account of `nip`, in `instansiId` when given (the operator's CLI gives none). */
async function accountOfInstansi(sql: Sql, instansiId: string | null, nip: string): Promise<AccountRow> {
  const { rows } = await sql.query<AccountRow>(`${ACCOUNT_SELECT} where nip = $1 and ($2::text is null or instansi_id = $2)`, [nip, instansiId]);
  if (!rows[0]) throw new DmsError('not_found', instansiId === null ? 'No such account.' : 'No such account in this instansi.');
  return rows[0];
}

/**
 * Changes an account; disabling revokes its refresh-token families in the same transaction
 * (its access tokens already stop, as authenticate() reads the status on every request).
 */
export async function updateAccount(db: Db, which: { nip: string; instansiId: string | null }, changes: UpdateAccountInput, nowIso: string): Promise<Account> {
  const row = await db.transaction(async (tx) => {
    const before = await accountOfInstansi(tx, which.instansiId, which.nip);
    const sets: string[] = [];
    const values: unknown[] = [before.id];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (changes.name !== undefined) set('name', checkedName(changes.name));
    if (changes.email !== undefined) set('email', checkedEmail(changes.email));
    if (changes.role !== undefined) set('role', changes.role);
    if (changes.status === 'disabled') set('status', 'disabled');
    // Enabled again, an account that never finished activation is pending, not active.
    if (changes.status === 'active') sets.push(`status = case when password_hash is not null and totp_secret is not null then 'active' else 'pending' end`);
    set('updated_at', nowIso);
    const { rows } = await tx.query<AccountRow>(`update users set ${sets.join(', ')} where id = $1 returning ${ACCOUNT_COLUMNS}`, values);
    if (changes.status === 'disabled' && before.status !== 'disabled') await revokeFamilies(tx, { userId: before.id }, 'user_disabled', nowIso);
    return rows[0];
  });
  return accountOf(row);
}

/** The accounts of an instansi, by NIP. */
export async function listAccounts(sql: Sql, instansiId: string): Promise<Account[]> {
  const { rows } = await sql.query<AccountRow>(`${ACCOUNT_SELECT} where instansi_id = $1 order by nip`, [instansiId]);
  return rows.map(accountOf);
}

export function accountHandlers(ctx: AuthContext): Own {
  const { db } = ctx;
  const iso = () => new Date(ctx.now()).toISOString();
  return {
    'users.list': async ({ principal }) => ({ users: await listAccounts(db, principal.instansiId) }),

    'users.create': async ({ principal, body }) => {
      const digest = await ctx.digest();
      const made = await db.transaction(async (tx) => {
        const activation = await createPendingAccount(tx, digest, ctx.sealer, { ...body, instansiId: principal.instansiId }, ctx.now());
        const { rows } = await tx.query<{ name: string }>('select name from instansi where id = $1', [principal.instansiId]);
        return { activation, instansiName: rows[0].name, row: await accountOfInstansi(tx, principal.instansiId, activation.nip) };
      });
      // Sent after the commit: a mail about an account that was rolled back would be worse than a late one.
      ctx.mailer.sendLater(
        newAccountMail({
          to: made.row.email ?? body.email,
          name: made.row.name,
          nip: made.row.nip,
          code: made.activation.activationCode,
          hours: ACTIVATION_CODE_MS / 3_600_000,
          instansiName: made.instansiName,
        }),
      );
      return { user: accountOf(made.row), activationCodeExpiresAt: made.activation.activationCodeExpiresAt };
    },

    'users.update': async ({ principal, params, body }) => {
      if (params.nip === principal.nip) {
        throw new DmsError('forbidden', 'An admin cannot change their own account; ask another admin of the instansi.');
      }
      return { user: await updateAccount(db, { nip: params.nip, instansiId: principal.instansiId }, body, iso()) };
    },
  };
}
