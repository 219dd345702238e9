// The root: the UI language (from the profile's settings, before anyone signs in), the auth
// gate, and for a signed-in user the reference data and the app shell.
import { useCallback, useEffect, useState } from 'react';
import type { Settings } from '../../../common/contract';
import type { ReferenceData } from '../../../common/doctypes';
import { t, type Locale } from '../../../common/i18n';
import { AuthGate, type SignedInUser } from '../features/auth';
import type { Host } from '../host';
import { LocaleContext } from '../shared/i18n';
import type { AppInfo } from '../shared/services';
import { App } from './App';

function Waiting({ locale, error }: { locale: Locale; error: string | null }) {
  return (
    <main className="boot-error" role={error ? 'alert' : 'status'}>
      <h1>{t(locale, 'app.title')}</h1>
      <p>{error ?? t(locale, 'session.loading')}</p>
    </main>
  );
}

function SignedIn(props: { host: Host; info: AppInfo; user: SignedInUser; logout(): void; settingsChanged(settings: Settings): void }) {
  const { host, info } = props;
  const [reference, setReference] = useState<ReferenceData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void host.call('reference.get', {}).then((result) => (result.ok ? setReference(result.value) : setError(result.error.message)));
  }, [host]);
  if (!reference) return <Waiting locale={info.settings.locale} error={error} />;
  return <App host={host} info={info} reference={reference} user={props.user} onLogout={props.logout} settingsChanged={props.settingsChanged} />;
}

export function Root({ host, initialInfo, onLocale }: { host: Host; initialInfo: AppInfo; onLocale(locale: Locale): void }) {
  const [info, setInfo] = useState(initialInfo);
  const locale = info.settings.locale;
  useEffect(() => {
    onLocale(locale);
    document.documentElement.lang = locale;
  }, [locale, onLocale]);
  const settingsChanged = useCallback((settings: Settings) => setInfo((current) => ({ ...current, settings })), []);

  return (
    <LocaleContext value={locale}>
      <AuthGate host={host} fallback={(error) => <Waiting locale={locale} error={error} />}>
        {(user, logout) => <SignedIn host={host} info={info} user={user} logout={logout} settingsChanged={settingsChanged} />}
      </AuthGate>
    </LocaleContext>
  );
}
