// Importing scans: drop files or whole folders, or pick them; optionally give the NIP and
// type every file of this batch belongs to. While main works, a progress bar (files, bytes,
// the current file); after, the report: what was imported, what was already stored (with a
// way to the stored copy) and every file that failed, with its reason.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { EventPayload, ImportReport } from '../../../../common/contract';
import { formatBytes } from '../../../../common/i18n';
import { isSystemFile, type UploadProgress } from '../../host';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { typeName } from '../../shared/reference';
import { useServices } from '../../shared/services';
import { DocumentTypeOptions, ErrorBox, Notice } from '../../shared/ui';
import { nipError, normalizeNip } from '../../shared/validation';
import { HotFolderSection } from './HotFolderSection';

type Progress = { phase: 'upload'; value: UploadProgress } | { phase: 'process'; value: EventPayload<'capture.onDidProgress'> };

export function ImportView({ active }: { active: boolean }) {
  const { host, reference, openDocument, navigate } = useServices();
  const tr = useT();
  const locale = useLocale();
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const pickButton = useRef<HTMLButtonElement>(null);
  const busyRef = useRef(false);
  const abortRef = useRef<AbortController | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [nip, setNip] = useState('');
  const [typeCode, setTypeCode] = useState('');
  // Separator sheets (issue 6): the office's setting, or ticked for one batch of sheets printed elsewhere.
  const [separatorSheets, setSeparatorSheets] = useState(false);

  useEffect(() => {
    // webkitdirectory is not in React's attribute list.
    folderRef.current?.setAttribute('webkitdirectory', '');
  }, []);

  useEffect(() => {
    if (active) pickButton.current?.focus();
  }, [active]);

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    // Each visit starts from the setting, which printing sheets or an admin may have changed.
    void host.call('app.info', {}).then((info) => {
      if (!cancelled && info.ok) setSeparatorSheets(info.value.settings.separatorSheets);
    });
    return () => {
      cancelled = true;
    };
  }, [active, host]);

  useEffect(
    () =>
      host.on((name, payload) => {
        if (name === 'capture.onDidProgress' && busyRef.current) setProgress({ phase: 'process', value: payload });
      }),
    [host],
  );

  const batchNip = normalizeNip(nip);
  const batchNipError = batchNip === '' ? null : nipError(batchNip, tr);

  async function run(files: File[]) {
    if (busyRef.current) return;
    if (files.length === 0) {
      setError(tr('import.noFiles'));
      return;
    }
    if (batchNipError) {
      setError(batchNipError);
      return;
    }
    busyRef.current = true;
    abortRef.current = new AbortController();
    setBusy(true);
    setError(null);
    setReport(null);
    setProgress(null);
    const result = await host.importFiles(files, {
      nip: batchNip || undefined,
      typeCode: typeCode || undefined,
      separatorSheets,
      onUpload: (value) => setProgress({ phase: 'upload', value }),
      signal: abortRef.current.signal,
    });
    busyRef.current = false;
    abortRef.current = null;
    setBusy(false);
    setProgress(null);
    if (result.ok) setReport(result.value);
    else setError(result.error.message);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    // Read the drop now: the browser empties it when this handler returns.
    const pending = host.filesFromDrop(event.dataTransfer);
    void pending.then(run, () => setError(tr('import.dropFailed')));
  }

  function picked(input: HTMLInputElement, folder: boolean) {
    const files = Array.from(input.files ?? []).filter((file) => !folder || !isSystemFile(file.name));
    input.value = '';
    void run(files);
  }

  const phase = progress?.phase === 'upload' ? tr('import.progress.upload') : tr('import.progress.process');
  const p = progress?.value;

  return (
    <div className="import-view">
      <header className="view-head">
        <h1>{tr('import.title')}</h1>
        <p className="hint">{tr('import.intro')}</p>
      </header>

      <div
        className={`drop-zone${dragging ? ' drop-zone-over' : ''}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="drop-title">{tr('import.drop')}</p>
        <div className="drop-actions">
          <button ref={pickButton} type="button" className="primary" disabled={busy} onClick={() => filesRef.current?.click()}>
            {tr('import.pickFiles')}
          </button>
          <button type="button" disabled={busy} onClick={() => folderRef.current?.click()}>
            {tr('import.pickFolder')}
          </button>
        </div>
        <p className="hint">{tr('import.kinds')}</p>
        <input
          ref={filesRef}
          type="file"
          multiple
          hidden
          accept=".pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff"
          data-testid="import-files"
          onChange={(event) => picked(event.currentTarget, false)}
        />
        <input ref={folderRef} type="file" multiple hidden data-testid="import-folder" onChange={(event) => picked(event.currentTarget, true)} />
      </div>

      <fieldset className="batch" disabled={busy}>
        <legend>{tr('import.batch')}</legend>
        <label>
          <span>{tr('import.batch.nip')}</span>
          <input
            type="text"
            inputMode="numeric"
            className="mono"
            value={nip}
            maxLength={40}
            placeholder={tr('import.batch.nipPlaceholder')}
            aria-invalid={batchNipError ? true : undefined}
            aria-describedby={batchNipError ? 'batch-nip-error' : undefined}
            onChange={(event) => setNip(event.target.value)}
          />
          {batchNipError && (
            <span id="batch-nip-error" className="field-error">
              {batchNipError}
            </span>
          )}
        </label>
        <label>
          <span>{tr('import.batch.type')}</span>
          <select value={typeCode} onChange={(event) => setTypeCode(event.target.value)}>
            <option value="">{tr('import.batch.typeGuess')}</option>
            <DocumentTypeOptions />
          </select>
        </label>
        <label className="field checkbox">
          <input type="checkbox" checked={separatorSheets} onChange={(event) => setSeparatorSheets(event.target.checked)} data-testid="import-separator-sheets" />
          <span>{tr('import.batch.separatorSheets')}</span>
        </label>
      </fieldset>

      {busy && (
        <div className="progress" data-testid="import-progress">
          <div className="progress-head">
            <strong>{phase}</strong>
            {host.canCancelImport && (
              <button type="button" onClick={() => abortRef.current?.abort()}>
                {tr('import.cancel')}
              </button>
            )}
          </div>
          <div
            className="bar"
            role="progressbar"
            aria-label={phase}
            aria-valuemin={0}
            aria-valuemax={p?.total ?? 0}
            aria-valuenow={p?.done ?? 0}
          >
            <div style={{ width: `${p && p.total > 0 ? (100 * p.done) / p.total : 0}%` }} />
          </div>
          {p && (
            <p className="progress-text">
              {tr('import.progress.files', { done: formatNumber(p.done, locale), total: formatNumber(p.total, locale) })} ·{' '}
              {tr('import.progress.bytes', { done: formatBytes(p.bytesDone, locale), total: formatBytes(p.bytesTotal, locale) })}
              {p.current && <> · {tr('import.progress.current', { name: p.current })}</>}
            </p>
          )}
        </div>
      )}

      <ErrorBox message={error} />

      {report && (
        <section className="report" data-testid="import-report" aria-labelledby="import-report-title">
          <h2 id="import-report-title">{tr('import.report')}</h2>
          <Notice tone={report.failed.length > 0 ? 'warning' : 'success'}>
            {tr('import.summary', { imported: report.imported.length, duplicates: report.duplicates.length, failed: report.failed.length })}
          </Notice>
          {report.imported.length > 0 && (
            <>
              <div className="report-head">
                <h3>{tr('import.imported', { count: report.imported.length })}</h3>
                <button type="button" className="primary" onClick={() => navigate('label')}>
                  {tr('import.toLabel')}
                </button>
              </div>
              <ul className="report-list" data-testid="import-imported">
                {report.imported.map((item) => (
                  <li key={item.documentId}>
                    <button type="button" className="link" onClick={() => openDocument(item.documentId)}>
                      {item.name}
                    </button>
                    <span className="muted">
                      {' '}
                      #{item.documentId} · {tr('import.pages', { count: item.pageCount })}
                      {item.guess.nip && <> · {tr('doc.nip')} {item.guess.nip}</>}
                      {item.guess.typeCode && <> · {typeName(reference, item.guess.typeCode, locale)}</>}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {report.duplicates.length > 0 && (
            <>
              <h3>{tr('import.duplicates', { count: report.duplicates.length })}</h3>
              <ul className="report-list" data-testid="import-duplicates">
                {report.duplicates.map((item, index) => (
                  <li key={`${item.name}-${index}`}>
                    <strong>{item.name}</strong> — {item.message}{' '}
                    <button type="button" className="link" onClick={() => openDocument(item.existingId)}>
                      {tr('import.openExisting', { id: item.existingId })}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {report.failed.length > 0 && (
            <>
              <h3>{tr('import.failed', { count: report.failed.length })}</h3>
              <ul className="report-list report-failed" data-testid="import-failed">
                {report.failed.map((item, index) => (
                  <li key={`${item.name}-${index}`} data-code={item.code}>
                    <strong>{item.name}</strong> — {item.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      <HotFolderSection active={active} />
    </div>
  );
}
