// "Akun di server pusat", in Pengguna: the instansi's accounts on the central server, kept by
// the admin with their own server session (main/core/accounts). Adding one makes a pending
// account whose activation code the server e-mails to its holder; a row's role changes at
// once, and disabling asks first, since it ends every session of that account. main words
// every failure (no server session, server down, the server's refusal); it is shown where
// the admin acted: the form, the row, or the section.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { type MethodOutput, type Role } from '../../../../common/contract';
import type { Result } from '../../../../common/errors';
import { useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { RoleOptions } from './RoleOptions';

type Account = MethodOutput<'serverAccounts.list'>[number];

function CreateServerAccount({ onCreated }: { onCreated(made: MethodOutput<'serverAccounts.create'>): void }) {
  const { host } = useServices();
  const tr = useT();
  const [nip, setNip] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await host.call('serverAccounts.create', { nip: nip.trim(), name: name.trim(), email: email.trim(), role });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setNip('');
    setName('');
    setEmail('');
    setRole('clerk');
    onCreated(result.value);
  };

  return (
    <form aria-labelledby="server-accounts-create-title" onSubmit={(event) => void submit(event)} data-testid="server-accounts-create">
      <h3 id="server-accounts-create-title">{tr('serverAccounts.create')}</h3>
      <ErrorBox message={error} />
      <div className="inline" style={{ flexWrap: 'wrap', alignItems: 'start' }}>
        <label className="field">
          <span>{tr('serverAccounts.nip')}</span>
          <input type="text" value={nip} inputMode="numeric" maxLength={18} spellCheck={false} autoComplete="off" data-testid="server-accounts-nip" onChange={(event) => setNip(event.target.value)} />
        </label>
        <label className="field">
          <span>{tr('serverAccounts.name')}</span>
          <input type="text" value={name} maxLength={200} autoComplete="off" data-testid="server-accounts-name" onChange={(event) => setName(event.target.value)} />
        </label>
        <label className="field">
          <span>{tr('serverAccounts.email')}</span>
          <input type="email" value={email} maxLength={254} autoComplete="off" spellCheck={false} data-testid="server-accounts-email" onChange={(event) => setEmail(event.target.value)} />
          <span className="hint">{tr('serverAccounts.emailHint')}</span>
        </label>
        <label className="field">
          <span>{tr('serverAccounts.role')}</span>
          <select value={role} data-testid="server-accounts-role" onChange={(event) => setRole(event.target.value as Role)}>
            <RoleOptions />
          </select>
        </label>
      </div>
      <button type="submit" className="primary" disabled={busy} data-testid="server-accounts-submit">
        {tr('serverAccounts.create')}
      </button>
    </form>
  );
}

/** Disabling ends every session of the account at once: asked first, the confirm button focused, Escape cancels. */
function ConfirmDisable({ account, onYes, onCancel }: { account: Account; onYes(): void; onCancel(): void }) {
  const tr = useT();
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-label={tr('serverAccounts.disable')}
      className="inline"
      style={{ flexWrap: 'wrap' }}
      data-testid="server-accounts-confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <span>{tr('serverAccounts.confirmDisable', { nip: account.nip, name: account.name })}</span>
      <button ref={yes} type="button" className="danger" onClick={onYes} data-testid="server-accounts-confirm-yes">
        {tr('serverAccounts.yesDisable')}
      </button>
      <button type="button" onClick={onCancel}>
        {tr('serverAccounts.cancel')}
      </button>
    </div>
  );
}

export function ServerAccounts({ active }: { active: boolean }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ nip: string; message: string } | null>(null);
  const [noServer, setNoServer] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    void (async () => {
      // A profile that works without a central server has nothing to show here, and no error to raise about it.
      const info = await host.call('app.info', {});
      const standalone = info.ok && info.value.settings.serverUrl === null;
      setNoServer(standalone);
      const result = standalone ? null : await host.call('serverAccounts.list', {});
      setLoading(false);
      if (result?.ok) {
        setAccounts(result.value);
        setError(null);
      } else {
        setAccounts(null);
        setError(result ? result.error.message : null);
      }
    })();
  }, [host]);

  useEffect(() => {
    if (active) load();
  }, [active, load]);

  const time = (iso: string) => new Date(iso).toLocaleString(locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

  async function change(account: Account, run: () => Promise<Result<Account>>) {
    setBusy(account.nip);
    setRowError(null);
    setDone(null);
    const result = await run();
    setBusy(null);
    if (!result.ok) {
      setRowError({ nip: account.nip, message: result.error.message });
      return;
    }
    setAccounts((current) => current?.map((each) => (each.nip === result.value.nip ? result.value : each)) ?? null);
    setDone(tr('serverAccounts.done', { name: result.value.name }));
  }

  return (
    <section className="card" aria-labelledby="server-accounts-title" aria-busy={loading} data-testid="server-accounts">
      <h2 id="server-accounts-title">{tr('serverAccounts.title')}</h2>
      <p className="hint">{tr('serverAccounts.intro')}</p>
      {noServer && (
        <p className="hint" data-testid="server-accounts-no-server">
          {tr('serverAccounts.noServer')}
        </p>
      )}
      <ErrorBox message={error} />
      <button type="button" disabled={loading} onClick={load} data-testid="server-accounts-reload">
        {tr('serverAccounts.reload')}
      </button>
      {loading && !accounts && <p className="hint">{tr('serverAccounts.loading')}</p>}
      {done && <Notice tone="success">{done}</Notice>}
      {accounts && (
        <>
          <CreateServerAccount
            onCreated={({ account, activationCodeExpiresAt }) => {
              setAccounts((current) => [...(current ?? []).filter((each) => each.nip !== account.nip), account].sort((a, b) => a.nip.localeCompare(b.nip)));
              setDone(tr('serverAccounts.created', { nip: account.nip, email: account.email ?? '', time: time(activationCodeExpiresAt) }));
            }}
          />
          {accounts.length === 0 ? (
            <p className="empty">{tr('serverAccounts.empty')}</p>
          ) : (
            <table className="table table-rows" data-testid="server-accounts-list">
              <thead>
                <tr>
                  <th scope="col">{tr('serverAccounts.nip')}</th>
                  <th scope="col">{tr('serverAccounts.name')}</th>
                  <th scope="col">{tr('serverAccounts.col.email')}</th>
                  <th scope="col">{tr('serverAccounts.role')}</th>
                  <th scope="col">{tr('serverAccounts.col.status')}</th>
                  <th scope="col">{tr('serverAccounts.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.nip} data-testid="server-accounts-row" data-nip={account.nip}>
                    <td className="mono">{account.nip}</td>
                    <td>{account.name}</td>
                    <td>{account.email ?? ''}</td>
                    <td>
                      <select
                        aria-label={tr('serverAccounts.roleOf', { name: account.name })}
                        value={account.role}
                        disabled={busy === account.nip}
                        data-testid="server-accounts-row-role"
                        onChange={(event) => void change(account, () => host.call('serverAccounts.update', { nip: account.nip, role: event.target.value as Role }))}
                      >
                        <RoleOptions />
                      </select>
                    </td>
                    <td data-testid="server-accounts-row-status">{tr(`serverAccounts.status.${account.status}`)}</td>
                    <td>
                      {confirming === account.nip ? (
                        <ConfirmDisable
                          account={account}
                          onCancel={() => setConfirming(null)}
                          onYes={() => {
                            setConfirming(null);
                            void change(account, () => host.call('serverAccounts.update', { nip: account.nip, status: 'disabled' }));
                          }}
                        />
                      ) : account.status === 'disabled' ? (
                        <button
                          type="button"
                          disabled={busy === account.nip}
                          data-testid="server-accounts-enable"
                          onClick={() => void change(account, () => host.call('serverAccounts.update', { nip: account.nip, status: 'active' }))}
                        >
                          {tr('serverAccounts.enable')}
                        </button>
                      ) : (
                        <button type="button" disabled={busy === account.nip} data-testid="server-accounts-disable" onClick={() => setConfirming(account.nip)}>
                          {tr('serverAccounts.disable')}
                        </button>
                      )}
                      {rowError?.nip === account.nip && (
                        <div data-testid="server-accounts-row-error">
                          <ErrorBox message={rowError.message} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
