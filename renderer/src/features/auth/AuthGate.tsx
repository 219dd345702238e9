// The gate in front of the app: asks main where this window's session stands (auth.status)
// and shows the one screen that is needed next (first admin, sign-in, authenticator
// enrolment, recovery codes, a new password, or the online activation of an account the
// central server holds), or the app. The idle lock lays the unlock form over the app without
// unmounting it, so a half-labelled form survives a coffee break.
import { Fragment, useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Enrolment, LoginResult, MethodOutput } from '../../../../common/contract';
import type { Host } from '../../host';
import { ActivationFlow } from './Activation';
import { ChangePasswordForm, EnrolForm, LoginForm, RecoveryCodes, BootstrapForm, UnlockForm } from './forms';

type Status = MethodOutput<'auth.status'>;
export type SignedInUser = LoginResult['user'];

interface AuthGateProps {
  host: Host;
  /** The app for a signed-in user; `logout` ends the session. */
  children(user: SignedInUser, logout: () => void): ReactNode;
  /** Shown while the first answer is awaited, or when main cannot be asked at all. */
  fallback(error: string | null): ReactNode;
}

export function AuthGate({ host, children, fallback }: AuthGateProps) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [activating, setActivating] = useState(false);

  const refresh = useCallback(async () => {
    const result = await host.call('auth.status', {});
    if (result.ok) {
      setStatus(result.value);
      setError(null);
    } else setError(result.error.message);
  }, [host]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => host.onAuthLost(() => void refresh()), [host, refresh]);

  const logout = useCallback(() => {
    void host.call('auth.logout', {}).then(() => {
      setEnrolment(null);
      setCodes(null);
      void refresh();
    });
  }, [host, refresh]);

  if (!status) return fallback(error);
  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          setEnrolment(null);
          void refresh();
        }}
      />
    );
  }
  const session = status.session;
  if (!session && activating) {
    return (
      <ActivationFlow
        host={host}
        serverUrl={status.serverUrl}
        serverEditable={!status.bootstrapped}
        onCancel={() => setActivating(false)}
        onDone={() => {
          setActivating(false);
          void refresh();
        }}
      />
    );
  }
  if (!status.bootstrapped) {
    return (
      <BootstrapForm
        host={host}
        onEnrol={(value) => {
          setEnrolment(value);
          void refresh();
        }}
        onActivate={() => setActivating(true)}
      />
    );
  }
  if (!session) return <LoginForm host={host} onDone={() => void refresh()} onActivate={() => setActivating(true)} />;
  if (session.needsEnrolment) return <EnrolForm host={host} enrolment={enrolment} onCodes={setCodes} onLogout={logout} />;
  if (session.mustChangePassword) return <ChangePasswordForm host={host} onDone={() => void refresh()} onLogout={logout} />;
  return (
    <Fragment key={session.user.id}>
      <div className="app-frame" inert={status.locked}>
        {children(session.user, logout)}
      </div>
      {status.locked && <UnlockForm host={host} nama={session.user.nama} onDone={() => void refresh()} onLogout={logout} />}
    </Fragment>
  );
}
