// The renderer's entry: opens the browser-host session (a no-op in Electron), asks for the
// app info (its settings carry the UI language) and mounts the root, or a plain error page
// when the host cannot be reached.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { t, type Locale } from '../../common/i18n';
import { Root } from './app/Root';
import { createHost, openWebSession } from './host';
import './styles.css';

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  const session = await openWebSession();
  let locale: Locale = 'id';
  const host = createHost(() => locale);
  const info = await host.call('app.info', {});
  if (!info.ok) {
    const message = session === 'refused' ? t(locale, 'host.sessionMissing') : info.error.message;
    root.render(
      <main className="boot-error" role="alert">
        <h1>{t(locale, 'app.title')}</h1>
        <p>{message}</p>
      </main>,
    );
    return;
  }
  locale = info.value.settings.locale;
  root.render(
    <StrictMode>
      <Root host={host} initialInfo={info.value} onLocale={(next) => (locale = next)} />
    </StrictMode>,
  );
}

void boot();
