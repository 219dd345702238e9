// Settings: the UI language (Bahasa Indonesia by default), the largest file an import
// accepts and the idle lock, saved through settings.update (admins only) so every shell of
// this profile sees them; and what this installation is (version, data folder, host).
import { useEffect, useRef, useState } from 'react';
import { LOCALES, type Locale } from '../../../../common/i18n';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';

const MB = 1024 * 1024;
/** The contract's limit: a day. */
const MAX_IDLE_MINUTES = 24 * 60;

export function SettingsView({ active }: { active: boolean }) {
  const { host, info, settingsChanged } = useServices();
  const tr = useT();
  const locale = useLocale();
  const languageRef = useRef<HTMLSelectElement>(null);
  const [maxMb, setMaxMb] = useState(String(Math.round(info.settings.maxFileBytes / MB)));
  const [idleMinutes, setIdleMinutes] = useState(String(info.settings.idleLockMinutes));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (active) languageRef.current?.focus();
  }, [active]);

  async function apply(patch: { locale?: Locale; maxFileBytes?: number; idleLockMinutes?: number }) {
    setError(null);
    setSaved(null);
    const result = await host.call('settings.update', patch);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    settingsChanged(result.value);
    setSaved(patch.locale ? null : tr('settings.saved'));
  }

  function saveLimit() {
    const mb = Number(maxMb.replace(',', '.'));
    if (!Number.isFinite(mb) || mb < 1 || mb > 2048) {
      setError(tr('settings.maxFile.invalid', { min: 1, max: formatNumber(2048, locale) }));
      return;
    }
    void apply({ maxFileBytes: Math.round(mb * MB) });
  }

  function saveIdleLock() {
    const minutes = Number(idleMinutes);
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_IDLE_MINUTES) {
      setError(tr('settings.idleLock.invalid', { max: formatNumber(MAX_IDLE_MINUTES, locale) }));
      return;
    }
    void apply({ idleLockMinutes: minutes });
  }

  return (
    <div className="settings-view">
      <header className="view-head">
        <h1>{tr('settings.title')}</h1>
      </header>
      <ErrorBox message={error} />
      {saved && <Notice tone="success">{saved}</Notice>}
      <section className="card">
        <label className="field">
          <span>{tr('settings.language')}</span>
          <select
            ref={languageRef}
            value={locale}
            data-testid="settings-language"
            onChange={(event) => void apply({ locale: event.target.value as Locale })}
          >
            {LOCALES.map((code) => (
              <option key={code} value={code}>
                {tr(code === 'id' ? 'settings.language.id' : 'settings.language.en')}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <label htmlFor="settings-max-file">{tr('settings.maxFile')}</label>
          <div className="inline">
            <input
              id="settings-max-file"
              type="text"
              inputMode="numeric"
              value={maxMb}
              size={6}
              onChange={(event) => setMaxMb(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') saveLimit();
              }}
            />
            <span>MB</span>
            <button type="button" onClick={saveLimit}>
              {tr('settings.save')}
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="settings-idle-lock">{tr('settings.idleLock')}</label>
          <div className="inline">
            <input
              id="settings-idle-lock"
              type="text"
              inputMode="numeric"
              value={idleMinutes}
              size={6}
              onChange={(event) => setIdleMinutes(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') saveIdleLock();
              }}
            />
            <button type="button" onClick={saveIdleLock}>
              {tr('settings.save')}
            </button>
          </div>
        </div>
      </section>
      <section className="card">
        <h2>{tr('settings.about')}</h2>
        <dl className="facts facts-column">
          <div>
            <dt>{tr('settings.version')}</dt>
            <dd>{info.version}</dd>
          </div>
          <div>
            <dt>{tr('settings.dataDir')}</dt>
            <dd className="mono">{info.dataDir}</dd>
          </div>
          <div>
            <dt>{tr('settings.host')}</dt>
            <dd>{tr(host.kind === 'electron' ? 'settings.host.electron' : 'settings.host.web')}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
