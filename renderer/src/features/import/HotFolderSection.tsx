// The "Folder pantau" section of the import view: the watched folders and their state, the
// files taken lately (each leads to its document) and the files that failed, with their
// reason and a retry. A path field rather than a folder picker: the browser host has none.
import { useEffect, useState, type FormEvent } from 'react';
import type { HotFolderStatus } from '../../../../common/contract';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox } from '../../shared/ui';

export function HotFolderSection({ active }: { active: boolean }) {
  const { host, openDocument, info, settingsChanged } = useServices();
  const tr = useT();
  const [status, setStatus] = useState<HotFolderStatus | null>(null);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    void host.call('hotfolder.status', {}).then((result) => (result.ok ? setStatus(result.value) : setError(result.error.message)));
  }, [host, active]);

  useEffect(
    () =>
      host.on((name, payload) => {
        if (name === 'hotfolder.onDidChange') setStatus(payload);
      }),
    [host],
  );

  async function act(run: () => ReturnType<typeof host.call<'hotfolder.status'>>): Promise<boolean> {
    const result = await run();
    if (!result.ok) {
      setError(result.error.message);
      return false;
    }
    setError(null);
    setStatus(result.value);
    return true;
  }

  async function setOption(patch: { hotFolderAfterImport?: 'move' | 'delete'; hotFolderStableMs?: number }) {
    const result = await host.call('settings.update', patch);
    if (result.ok) settingsChanged(result.value);
    setError(result.ok ? null : result.error.message);
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await act(() => host.call('hotfolder.add', { path: path.trim() }))) setPath('');
  }

  return (
    <section className="hot-folder" data-testid="hot-folder" aria-labelledby="hot-folder-title">
      <h2 id="hot-folder-title">{tr('import.hot.title')}</h2>
      <p className="hint">{tr('import.hot.intro')}</p>
      <form className="hot-folder-add" onSubmit={(event) => void add(event)}>
        <label>
          <span>{tr('import.hot.path')}</span>
          <input type="text" className="mono" value={path} maxLength={1024} placeholder={tr('import.hot.pathPlaceholder')} onChange={(event) => setPath(event.target.value)} />
        </label>
        <button type="submit" disabled={path.trim() === ''}>
          {tr('import.hot.add')}
        </button>
      </form>
      <div className="hot-folder-options">
        <label>
          <span>{tr('import.hot.after')}</span>
          <select
            value={info.settings.hotFolderAfterImport}
            onChange={(event) => void setOption({ hotFolderAfterImport: event.target.value === 'delete' ? 'delete' : 'move' })}
          >
            <option value="move">{tr('import.hot.after.move')}</option>
            <option value="delete">{tr('import.hot.after.delete')}</option>
          </select>
        </label>
        <label>
          <span>{tr('import.hot.stable')}</span>
          <select value={String(info.settings.hotFolderStableMs)} onChange={(event) => void setOption({ hotFolderStableMs: Number(event.target.value) })}>
            {[...new Set([2000, 5000, 10_000, 30_000, 60_000, info.settings.hotFolderStableMs])]
              .sort((a, b) => a - b)
              .map((ms) => (
                <option key={ms} value={ms}>
                  {tr('import.hot.seconds', { count: ms / 1000 })}
                </option>
              ))}
          </select>
        </label>
      </div>
      <ErrorBox message={error} />

      {status && status.folders.length === 0 && <p className="muted">{tr('import.hot.none')}</p>}
      {status && status.folders.length > 0 && (
        <ul className="report-list" data-testid="hot-folder-folders">
          {status.folders.map((folder) => (
            <li key={folder.path} data-state={folder.state}>
              <span className="mono">{folder.path}</span> — <strong>{tr(`import.hot.state.${folder.state}`)}</strong>
              {folder.error && <span className="field-error"> {folder.error}</span>}{' '}
              <button type="button" className="link" onClick={() => void act(() => host.call('hotfolder.remove', { path: folder.path }))}>
                {tr('import.hot.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}

      {status && status.recent.length > 0 && (
        <>
          <h3>{tr('import.hot.recent')}</h3>
          <ul className="report-list" data-testid="hot-folder-recent">
            {status.recent.map((item) => (
              <li key={`${item.at}-${item.folder}-${item.name}`} data-outcome={item.outcome}>
                <button type="button" className="link" onClick={() => openDocument(item.documentId)}>
                  {item.name}
                </button>
                <span className="muted">
                  {' '}
                  #{item.documentId} · {tr(`import.hot.${item.outcome}`)}
                  {item.message && <> · {item.message}</>}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}

      {status && status.failures.length > 0 && (
        <>
          <h3>{tr('import.hot.failures', { count: status.failures.length })}</h3>
          <ul className="report-list report-failed" data-testid="hot-folder-failures">
            {status.failures.map((item) => (
              <li key={item.path} data-code={item.code}>
                <strong>{item.name}</strong> — {item.message}{' '}
                <button type="button" className="link" onClick={() => void act(() => host.call('hotfolder.retry', { path: item.path }))}>
                  {tr('import.hot.retry')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
