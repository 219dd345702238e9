// Settings: the UI language (Bahasa Indonesia by default), the largest file an import
// accepts, the idle lock and the central server's address, saved through settings.update (admins only) so every shell of
// this profile sees them; and what this installation is (version, data folder, host).
import { useEffect, useRef, useState } from 'react';
import { LOCALES, type Locale } from '../../../../common/i18n';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { SyncSettings } from '../sync/SyncSettings';

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
  const [serverUrl, setServerUrl] = useState(info.settings.serverUrl ?? '');
  const [agencyName, setAgencyName] = useState(info.settings.agencyName ?? '');
  const [agencyCity, setAgencyCity] = useState(info.settings.agencyCity ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (active) languageRef.current?.focus();
  }, [active]);

  async function apply(patch: { locale?: Locale; maxFileBytes?: number; idleLockMinutes?: number; serverUrl?: string | null; requireApproval?: boolean; separatorSheets?: boolean; agencyName?: string | null; agencyCity?: string | null }) {
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

  function saveServerUrl() {
    const text = serverUrl.trim();
    // main checks the address (http or https, no credentials) and says what is wrong.
    void apply({ serverUrl: text === '' ? null : text });
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
        <InlineSetting id="settings-max-file" label={tr('settings.maxFile')} value={maxMb} onChange={setMaxMb} onSave={saveLimit} numeric unit="MB" />
        <InlineSetting id="settings-idle-lock" label={tr('settings.idleLock')} value={idleMinutes} onChange={setIdleMinutes} onSave={saveIdleLock} numeric />
        <InlineSetting
          id="settings-server-url"
          label={tr('settings.serverUrl')}
          value={serverUrl}
          onChange={setServerUrl}
          onSave={saveServerUrl}
          placeholder={tr('activate.server.hint')}
        />
        {/* Named on every report this workstation prints (Berita Acara, gap lists, sync reports). */}
        <InlineSetting
          id="settings-agency-name"
          label={tr('settings.agencyName')}
          value={agencyName}
          onChange={setAgencyName}
          onSave={() => void apply({ agencyName: agencyName.trim() === '' ? null : agencyName.trim() })}
        />
        <InlineSetting
          id="settings-agency-city"
          label={tr('settings.agencyCity')}
          value={agencyCity}
          onChange={setAgencyCity}
          onSave={() => void apply({ agencyCity: agencyCity.trim() === '' ? null : agencyCity.trim() })}
        />
        {/* Verification (issue 7): saved at once, like the language. */}
        <label className="field checkbox">
          <input
            type="checkbox"
            data-testid="settings-require-approval"
            checked={info.settings.requireApproval}
            onChange={(event) => void apply({ requireApproval: event.target.checked })}
          />
          <span>{tr('review.settings.requireApproval')}</span>
        </label>
        {/* Separator sheets (issue 6): off skips searching multi-page scans for sheets. */}
        <label className="field checkbox">
          <input
            type="checkbox"
            data-testid="settings-separator-sheets"
            checked={info.settings.separatorSheets}
            onChange={(event) => void apply({ separatorSheets: event.target.checked })}
          />
          <span>{tr('settings.separatorSheets')}</span>
        </label>
      </section>
      {/* Sync (issue 5): upload concurrency, bandwidth cap, timeout, tries, end-of-day window. */}
      <SyncSettings />
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

/** A labelled text field saved with its button or with Enter. */
function InlineSetting(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onSave: () => void;
  numeric?: boolean;
  unit?: string;
  placeholder?: string;
}) {
  const tr = useT();
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="inline">
        <input
          id={props.id}
          type={props.numeric ? 'text' : 'url'}
          inputMode={props.numeric ? 'numeric' : undefined}
          value={props.value}
          size={props.numeric ? 6 : 40}
          placeholder={props.placeholder}
          onChange={(event) => props.onChange(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') props.onSave();
          }}
        />
        {props.unit && <span>{props.unit}</span>}
        <button type="button" onClick={props.onSave}>
          {tr('settings.save')}
        </button>
      </div>
    </div>
  );
}
