// Riwayat sinkronisasi: the stored run reports, newest first (sync.reports), one run's
// detail (sync.report: every document it touched and how it ended) and its export as CSV or
// PDF (sync.exportReport) for the office's files. Asked again whenever a run ends here.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportFormat, SyncRunReport, SyncRunSummary } from '../../../../common/contract';
import { formatBytes } from '../../../../common/i18n';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { saveExported } from '../../shared/download';
import { formatTime } from './progress';
import { TableHead } from './TableHead';

const PAGE = 20;

function RunDetail({ report, onClose }: { report: SyncRunReport; onClose(): void }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => headingRef.current?.focus(), [report.runId]);

  const exportAs = async (format: 'csv' | 'pdf') => {
    setExporting(format);
    setError(null);
    setExported(null);
    const result = await host.call('sync.exportReport', { runId: report.runId, format });
    setExporting(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    saveExported(result.value);
    setExported(tr('sync.history.exported', { fileName: result.value.fileName }));
  };

  return (
    <div className="card" data-testid="sync-run-detail" data-run={report.runId}>
      <div className="inline" style={{ justifyContent: 'space-between' }}>
        <h3 ref={headingRef} tabIndex={-1}>
          {tr('sync.history.detail', { time: formatTime(report.startedAt, locale) })}
        </h3>
        <div className="inline">
          <button type="button" disabled={exporting !== null} onClick={() => void exportAs('csv')} data-testid="sync-export-csv">
            {exporting === 'csv' ? tr('sync.history.exporting') : tr('sync.history.exportCsv')}
          </button>
          <button type="button" disabled={exporting !== null} onClick={() => void exportAs('pdf')} data-testid="sync-export-pdf">
            {exporting === 'pdf' ? tr('sync.history.exporting') : tr('sync.history.exportPdf')}
          </button>
          <button type="button" onClick={onClose}>
            {tr('sync.history.close')}
          </button>
        </div>
      </div>
      <ErrorBox message={error} />
      {exported && <Notice tone="success">{exported}</Notice>}
      <p className="hint">
        {tr('sync.history.by', { actor: report.actor, trigger: tr(`sync.trigger_${report.trigger}`) })} ·{' '}
        {tr('sync.history.bytes', { sent: formatBytes(report.bytesSent, locale), total: formatBytes(report.bytesTotal, locale) })}
      </p>
      {report.items.length === 0 ? (
        <p className="empty">{tr('sync.nothing')}</p>
      ) : (
        <table className="table table-rows" data-testid="sync-run-items">
          <TableHead columns={[tr('sync.col.name'), tr('doc.nip'), tr('sync.col.outcome'), tr('sync.col.reason'), tr('sync.col.size'), tr('sync.col.at')]} />
          <tbody>
            {report.items.map((item) => (
              <tr key={item.documentId} data-testid="sync-run-item" data-outcome={item.outcome}>
                <td>{item.name}</td>
                <td className="mono">{item.nip ?? ''}</td>
                <td>{tr(`sync.outcome_${item.outcome}`)}</td>
                <td title={item.code ?? undefined}>{item.reason ?? ''}</td>
                <td>{formatBytes(item.size, locale)}</td>
                <td>
                  <time dateTime={item.at}>{formatTime(item.at, locale)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** `version` changes when a run ends here: the list is asked again. */
export function SyncHistory({ active, version }: { active: boolean; version: number }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [items, setItems] = useState<SyncRunSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<SyncRunReport | null>(null);
  const generation = useRef(0);

  const load = useCallback(
    async (offset: number) => {
      const mine = offset === 0 ? ++generation.current : generation.current;
      const result = await host.call('sync.reports', { limit: PAGE, offset });
      if (mine !== generation.current) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setTotal(result.value.total);
      setItems((current) => (offset === 0 ? result.value.items : [...current, ...result.value.items]));
    },
    [host],
  );

  useEffect(() => {
    if (active) void load(0);
  }, [active, load, version]);

  const show = async (runId: string) => {
    const result = await host.call('sync.report', { runId });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(null);
    setOpen(result.value);
  };

  return (
    <section className="card" aria-labelledby="sync-history-title" data-testid="sync-history">
      <h2 id="sync-history-title">{tr('sync.history.title')}</h2>
      <ErrorBox message={error} />
      {items.length === 0 ? (
        !error && <p className="empty">{tr('sync.history.empty')}</p>
      ) : (
        <table className="table table-rows">
          <TableHead
            columns={[
              tr('sync.history.started'),
              tr('sync.history.trigger'),
              tr('sync.history.phase'),
              tr('sync.state.verified'),
              tr('sync.state.rejected'),
              tr('sync.state.conflict'),
              tr('sync.history.waiting'),
            ]}
            actions
          />
          <tbody>
            {items.map((run) => (
              <tr key={run.runId} data-testid="sync-run" data-phase={run.phase} aria-selected={open?.runId === run.runId}>
                <td>
                  <time dateTime={run.startedAt}>{formatTime(run.startedAt, locale)}</time>
                </td>
                <td>{tr(`sync.trigger_${run.trigger}`)}</td>
                <td>{run.stopped === 'session_revoked' ? tr('sync.history.revoked') : tr(`sync.phase_${run.phase}`)}</td>
                <td data-testid="sync-run-verified">{formatNumber(run.verified, locale)}</td>
                <td data-testid="sync-run-rejected">{formatNumber(run.rejected, locale)}</td>
                <td>{formatNumber(run.conflict, locale)}</td>
                <td>{formatNumber(run.waiting, locale)}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={tr('sync.history.openOf', { time: formatTime(run.startedAt, locale) })}
                    onClick={() => void show(run.runId)}
                    data-testid="sync-run-open"
                  >
                    {tr('sync.history.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.length < total && (
        <button type="button" onClick={() => void load(items.length)}>
          {tr('sync.history.more')}
        </button>
      )}
      {open && <RunDetail report={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
