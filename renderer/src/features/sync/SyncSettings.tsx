// The sync part of Pengaturan (admins save it; main refuses the others): uploads at once, a
// bandwidth cap for a shared office link, the per-file timeout a slow link needs, tries per
// document in a run, and the end-of-day window of the scheduled run. Saved together with
// one button (or Enter in any field) through settings.update.
import { useState, type FormEvent } from 'react';
import type { MessageKey } from '../../../../common/i18n';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { checkDraft, draftOf, type Draft } from './settingsDraft';

export function SyncSettings() {
  const { host, info, settingsChanged } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState<Draft>(() => draftOf(info.settings));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const checked = checkDraft(draft);
    if (!checked.ok) {
      const params = Object.fromEntries(Object.entries(checked.params).map(([k, v]) => [k, formatNumber(v, locale)]));
      setError(`${tr(`sync.settings.${checked.field}`)}: ${tr(checked.key, params)}`);
      document.getElementById(`sync-settings-${checked.field}`)?.focus();
      return;
    }
    const result = await host.call('settings.update', checked.patch);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(null);
    setSaved(true);
    settingsChanged(result.value);
  };

  const field = (key: keyof Draft, type: 'text' | 'time' = 'text', hint?: MessageKey) => (
    <div className="field">
      <label htmlFor={`sync-settings-${key}`}>{tr(`sync.settings.${key}`)}</label>
      <input
        id={`sync-settings-${key}`}
        type={type}
        inputMode={type === 'text' ? 'numeric' : undefined}
        size={8}
        value={draft[key]}
        data-testid={`sync-settings-${key}`}
        onChange={(event) => setDraft((current) => ({ ...current, [key]: event.target.value }))}
      />
      {hint && <span className="field-note">{tr(hint)}</span>}
    </div>
  );

  return (
    <form className="card" aria-labelledby="sync-settings-title" onSubmit={(event) => void save(event)} data-testid="sync-settings">
      <h2 id="sync-settings-title">{tr('sync.settings.title')}</h2>
      <ErrorBox message={error} />
      {saved && <Notice tone="success">{tr('settings.saved')}</Notice>}
      <div className="inline" style={{ flexWrap: 'wrap', alignItems: 'start' }}>
        {field('concurrency')}
        {field('bandwidth', 'text', 'sync.settings.bandwidthHint')}
        {field('timeout')}
        {field('attempts')}
        {field('windowStart', 'time', 'sync.settings.windowHint')}
        {field('windowEnd', 'time')}
      </div>
      <button type="submit" data-testid="sync-settings-save">
        {tr('settings.save')}
      </button>
    </form>
  );
}
