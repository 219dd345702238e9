// Pengguna: the admin's list of local accounts (role, status) and what an admin does to
// them: create one, change its role, disable or enable it, lift a lockout, reset the
// authenticator or the password. main checks every call (admin only, password rules, the
// last admin); its message is shown as it comes. Below, the instansi's accounts on the
// central server (ServerAccounts.tsx).
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { type MethodName, type MethodOutput, type Role, type UserSummary } from '../../../../common/contract';
import type { Result } from '../../../../common/errors';
import { useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { RoleOptions } from './RoleOptions';
import { ServerAccounts } from './ServerAccounts';

type UserCall = Extract<MethodName, 'users.setRole' | 'users.disable' | 'users.enable' | 'users.unlock' | 'users.resetMfa' | 'users.resetPassword'>;

function CreateUser({ onCreated }: { onCreated(user: UserSummary): void }) {
  const { host } = useServices();
  const tr = useT();
  const [nip, setNip] = useState('');
  const [nama, setNama] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await host.call('users.create', { nip: nip.trim(), nama: nama.trim(), role, password, email: email.trim() || null });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setNip('');
    setNama('');
    setEmail('');
    setPassword('');
    setRole('clerk');
    onCreated(result.value);
  };

  return (
    <form className="card" aria-labelledby="users-create-title" onSubmit={(event) => void submit(event)} data-testid="users-create">
      <h2 id="users-create-title">{tr('users.create')}</h2>
      <ErrorBox message={error} />
      <div className="inline" style={{ flexWrap: 'wrap', alignItems: 'start' }}>
        <label className="field">
          <span>{tr('users.nip')}</span>
          <input type="text" value={nip} inputMode="numeric" maxLength={40} spellCheck={false} autoComplete="off" data-testid="users-nip" onChange={(event) => setNip(event.target.value)} />
        </label>
        <label className="field">
          <span>{tr('users.nama')}</span>
          <input type="text" value={nama} maxLength={200} autoComplete="off" data-testid="users-nama" onChange={(event) => setNama(event.target.value)} />
        </label>
        <label className="field">
          <span>{tr('users.email')}</span>
          <input type="text" value={email} maxLength={254} autoComplete="off" spellCheck={false} data-testid="users-email" onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label className="field">
          <span>{tr('users.role')}</span>
          <select value={role} data-testid="users-role" onChange={(event) => setRole(event.target.value as Role)}>
            <RoleOptions />
          </select>
        </label>
        <label className="field">
          <span>{tr('users.password')}</span>
          <input type="password" value={password} maxLength={1024} autoComplete="new-password" data-testid="users-password" onChange={(event) => setPassword(event.target.value)} />
          <span className="hint">{tr('users.passwordHint')}</span>
        </label>
      </div>
      <button type="submit" className="primary" disabled={busy} data-testid="users-submit">
        {tr('users.create')}
      </button>
    </form>
  );
}

function ResetPassword({ user, onSave, onCancel }: { user: UserSummary; onSave(password: string): void; onCancel(): void }) {
  const tr = useT();
  const [password, setPassword] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  // Opened by "reset password": the field the admin types into next.
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className="inline"
      onSubmit={(event) => {
        event.preventDefault();
        onSave(password);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <label>
        <span className="visually-hidden">{tr('users.newPassword', { nama: user.nama })}</span>
        <input ref={ref} type="password" value={password} maxLength={1024} autoComplete="new-password" data-testid="users-new-password" onChange={(event) => setPassword(event.target.value)} />
      </label>
      <button type="submit" className="primary">
        {tr('users.save')}
      </button>
      <button type="button" onClick={onCancel}>
        {tr('users.cancel')}
      </button>
    </form>
  );
}

export function UsersView({ active }: { active: boolean }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [resetting, setResetting] = useState<number | null>(null);

  const load = useCallback(() => {
    void host.call('users.list', {}).then((result) => {
      if (result.ok) {
        setUsers(result.value);
        setError(null);
      } else {
        setUsers(null);
        setError(result.error.message);
      }
    });
  }, [host]);

  useEffect(() => {
    if (active) load();
  }, [active, load]);

  const replace = (changed: UserSummary) => setUsers((current) => current?.map((each) => (each.id === changed.id ? changed : each)) ?? null);

  async function change(user: UserSummary, run: () => Promise<Result<MethodOutput<UserCall>>>) {
    setBusy(user.id);
    setError(null);
    setDone(null);
    const result = await run();
    setBusy(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    replace(result.value);
    setDone(tr('users.done', { nama: result.value.nama }));
  }

  const time = (iso: string) => new Date(iso).toLocaleString(locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

  const status = (user: UserSummary) => {
    const parts = [tr(user.disabled ? 'users.status.disabled' : 'users.status.active'), tr(user.mfaEnrolled ? 'users.status.mfa' : 'users.status.noMfa')];
    if (user.lockedUntil && Date.parse(user.lockedUntil) > Date.now()) parts.push(tr('users.status.lockedUntil', { time: time(user.lockedUntil) }));
    if (user.mustChangePassword) parts.push(tr('users.status.mustChange'));
    return parts.join(' · ');
  };

  return (
    <div className="users-view" data-testid="users-view">
      <header className="view-head">
        <h1>{tr('users.title')}</h1>
        <p className="hint">{tr('users.intro')}</p>
      </header>
      {users && (
        <CreateUser
          onCreated={(user) => {
            setUsers((current) => [...(current ?? []), user]);
            setError(null);
            setDone(tr('users.created', { nip: user.nip }));
          }}
        />
      )}
      <ErrorBox message={error} />
      {done && <Notice tone="success">{done}</Notice>}
      {users && (
        <section className="card" aria-labelledby="users-list-title">
          <h2 id="users-list-title">{tr('users.list')}</h2>
          {users.length === 0 ? (
            <p className="empty">{tr('users.empty')}</p>
          ) : (
            <table className="table table-rows" data-testid="users-list">
              <thead>
                <tr>
                  <th scope="col">{tr('users.nip')}</th>
                  <th scope="col">{tr('users.nama')}</th>
                  <th scope="col">{tr('users.role')}</th>
                  <th scope="col">{tr('users.col.status')}</th>
                  <th scope="col">{tr('users.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.id} data-testid="users-row" data-nip={user.nip}>
                    <td className="mono">{user.nip}</td>
                    <td>{user.nama}</td>
                    <td>
                      <select
                        aria-label={tr('users.roleOf', { nama: user.nama })}
                        value={user.role}
                        disabled={busy === user.id}
                        data-testid="users-row-role"
                        onChange={(event) => void change(user, () => host.call('users.setRole', { id: user.id, role: event.target.value as Role }))}
                      >
                        <RoleOptions />
                      </select>
                    </td>
                    <td data-testid="users-row-status">{status(user)}</td>
                    <td>
                      {resetting === user.id ? (
                        <ResetPassword
                          user={user}
                          onCancel={() => setResetting(null)}
                          onSave={(password) => {
                            setResetting(null);
                            void change(user, () => host.call('users.resetPassword', { id: user.id, password }));
                          }}
                        />
                      ) : (
                        <div className="inline" style={{ flexWrap: 'wrap' }}>
                          <button
                            type="button"
                            disabled={busy === user.id}
                            data-testid={user.disabled ? 'users-enable' : 'users-disable'}
                            onClick={() => void change(user, () => host.call(user.disabled ? 'users.enable' : 'users.disable', { id: user.id }))}
                          >
                            {tr(user.disabled ? 'users.enable' : 'users.disable')}
                          </button>
                          {user.lockedUntil && (
                            <button type="button" disabled={busy === user.id} data-testid="users-unlock" onClick={() => void change(user, () => host.call('users.unlock', { id: user.id }))}>
                              {tr('users.unlock')}
                            </button>
                          )}
                          <button type="button" disabled={busy === user.id} data-testid="users-reset-mfa" onClick={() => void change(user, () => host.call('users.resetMfa', { id: user.id }))}>
                            {tr('users.resetMfa')}
                          </button>
                          <button type="button" disabled={busy === user.id} data-testid="users-reset-password" onClick={() => setResetting(user.id)}>
                            {tr('users.resetPassword')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {/* The central server's accounts, beside the local ones: the same admin keeps both. */}
      <ServerAccounts active={active} />
    </div>
  );
}
