// Sinkronisasi: the end-of-day send to the central server. "Sinkronkan sekarang" queues
// every ready document (sync.queue) and runs the outbox (sync.run); while it runs, the
// progress main pushes (sync.onDidProgress) shows files and bytes done, speed, time left and
// the current file, with Jeda, Lanjutkan and Batalkan. Below: the documents per sync state;
// "Belum terkirim", the ones the server refused (with its reason) or that keep failing, each
// with "Kirim ulang"; and the history of runs with their reports. Every decision is main's
// (main/core/sync); this view asks and shows.
import { useCallback, useEffect, useRef, useState } from 'react';
import { SYNC_STATES, type EventPayload, type SyncProblem, type SyncReport } from '../../../../common/contract';
import { formatBytes, type MessageKey } from '../../../../common/i18n';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { formatDuration, formatSpeed, formatTime } from './progress';
import { ConflictsPanel } from '../conflicts';
import { SyncHistory } from './SyncHistory';
import { TableHead } from './TableHead';
import { useSyncStatus } from './useSyncStatus';

type Progress = EventPayload<'sync.onDidProgress'>;

function stateKey(state: SyncProblem['state']): MessageKey {
  return `sync.state.${state}`;
}

function ProgressArea({ progress, paused }: { progress: Progress | null; paused: boolean }) {
  const tr = useT();
  const locale = useLocale();
  const share = progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 0;
  return (
    <div className="progress" data-testid="sync-progress">
      <div className="progress-head">
        <strong>{paused ? tr('sync.paused') : tr('sync.progress.label')}</strong>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={tr('sync.progress.label')}
        aria-valuemin={0}
        aria-valuemax={progress?.total ?? 0}
        aria-valuenow={progress?.done ?? 0}
      >
        <div style={{ width: `${Math.min(100, share * 100)}%` }} />
      </div>
      {progress && (
        <p className="progress-text" data-testid="sync-progress-text">
          {tr('sync.progress.files', { done: formatNumber(progress.done, locale), total: formatNumber(progress.total, locale) })} ·{' '}
          {tr('sync.progress.bytes', { done: formatBytes(progress.bytesDone, locale), total: formatBytes(progress.bytesTotal, locale) })}
          {!paused && progress.speedBps > 0 && <> · {formatSpeed(progress.speedBps, locale, tr)}</>}
          {!paused && progress.etaSeconds !== null && <> · {tr('sync.progress.eta', { eta: formatDuration(progress.etaSeconds, tr) })}</>}
          {progress.current && <> · {tr('sync.progress.current', { name: progress.current })}</>}
        </p>
      )}
    </div>
  );
}

function ReportNotice({ report }: { report: SyncReport }) {
  const tr = useT();
  const locale = useLocale();
  const problems = report.problems.length;
  const summary = tr('sync.report', {
    verified: formatNumber(report.verified, locale),
    problems: formatNumber(problems, locale),
    remaining: formatNumber(report.remaining, locale),
  });
  if (report.stopped === 'session_revoked') return <Notice tone="warning">{tr('sync.session_revoked')}</Notice>;
  return (
    <div data-testid="sync-last-report">
      <Notice tone={problems > 0 || report.remaining > 0 || report.phase !== 'done' ? 'warning' : 'success'}>
        {report.phase === 'paused' ? `${tr('sync.paused')}. ${summary}` : report.phase === 'cancelled' ? `${tr('sync.cancelledRun')} ${summary}` : report.total === 0 ? tr('sync.nothing') : summary}
      </Notice>
    </div>
  );
}

export function SyncView({ active }: { active: boolean }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const { status, error: statusError, reload } = useSyncStatus(active);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  /** The last run stopped with Jeda: Lanjutkan goes on from there, Batalkan dequeues. */
  const [paused, setPaused] = useState(false);
  const [report, setReport] = useState<SyncReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Bumped when a run ends here, so the history asks again. */
  const [runsSeen, setRunsSeen] = useState(0);
  const startRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (active) startRef.current?.focus();
  }, [active]);

  // A pause outlives the view (and the app): the newest stored run says whether one is waiting.
  useEffect(() => {
    if (!active) return;
    void host.call('sync.reports', { limit: 1, offset: 0 }).then((result) => {
      if (result.ok) setPaused(result.value.items[0]?.phase === 'paused');
    });
  }, [host, active, runsSeen]);

  // Progress of any run, this view's or one started elsewhere (the schedule, `lemari sync`).
  useEffect(
    () =>
      host.on((name, payload) => {
        if (name === 'sync.onDidProgress') setProgress(payload);
      }),
    [host],
  );

  const running = busy || status?.running === true;

  /** Runs the outbox (or resumes a paused run); `before` (queueing, re-queueing) happens first and may stop it. */
  const send = useCallback(
    async (method: 'sync.run' | 'sync.resume', before: () => Promise<string | null>) => {
      setBusy(true);
      setError(null);
      setNotice(null);
      setReport(null);
      setProgress(null);
      try {
        const failed = await before();
        if (failed !== null) {
          setError(failed);
          return;
        }
        const result = await host.call(method, {});
        if (!result.ok) {
          setError(result.error.message);
          return;
        }
        setReport(result.value);
        setPaused(result.value.phase === 'paused');
      } finally {
        setBusy(false);
        setRunsSeen((n) => n + 1);
        void reload();
      }
    },
    [host, reload],
  );

  const syncNow = () =>
    send('sync.run', async () => {
      const queued = await host.call('sync.queue', {});
      return queued.ok ? null : queued.error.message;
    });

  const resume = () => send('sync.resume', () => Promise.resolve(null));

  /** Sends the given problems again (all of them without ids): re-queued, then a run right away. */
  const retry = (ids?: number[]) =>
    send('sync.run', async () => {
      const result = await host.call('sync.retry', ids ? { ids } : {});
      if (!result.ok) return result.error.message;
      setNotice(tr('sync.retried', { count: formatNumber(result.value.requeued, locale) }));
      return null;
    });

  /** The run in progress answers its own call (phase paused); this only asks it to stop. */
  const pause = async () => {
    const result = await host.call('sync.pause', {});
    if (!result.ok) setError(result.error.message);
  };

  const cancel = async () => {
    const result = await host.call('sync.cancel', {});
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setPaused(false);
    setNotice(tr('sync.cancelledCount', { count: formatNumber(result.value.dequeued, locale) }));
    setRunsSeen((n) => n + 1);
    void reload();
  };

  const problems = status?.problems ?? [];
  const retriable = problems.filter((problem) => problem.state !== 'conflict');

  return (
    <div className="sync-view" data-testid="sync-view">
      <header className="view-head">
        <h1>{tr('sync.title')}</h1>
        <p className="hint">{tr('sync.intro')}</p>
      </header>

      <div className="inline">
        <button ref={startRef} type="button" className="primary" disabled={running} onClick={() => void syncNow()} data-testid="sync-now">
          {running ? tr('sync.running') : tr('sync.now')}
        </button>
        {running && (
          <button type="button" onClick={() => void pause()} data-testid="sync-pause">
            {tr('sync.pause')}
          </button>
        )}
        {!running && paused && (
          <button type="button" onClick={() => void resume()} data-testid="sync-resume">
            {tr('sync.resume')}
          </button>
        )}
        {(running || paused) && (
          <button type="button" onClick={() => void cancel()} data-testid="sync-cancel">
            {tr('sync.cancel')}
          </button>
        )}
      </div>

      {(running || (paused && progress)) && <ProgressArea progress={progress} paused={!running && paused} />}
      <ErrorBox message={error ?? statusError} />
      {notice && <Notice tone="info">{notice}</Notice>}
      {report && <ReportNotice report={report} />}

      {status && (
        <section className="card" aria-labelledby="sync-counts-title">
          <h2 id="sync-counts-title">{tr('sync.counts')}</h2>
          <dl className="facts" data-testid="sync-counts">
            <div data-testid="sync-count-ready">
              <dt>{tr('sync.readyNotQueued')}</dt>
              <dd>{formatNumber(status.readyNotQueued, locale)}</dd>
            </div>
            {SYNC_STATES.map((state) => (
              <div key={state} data-testid={`sync-count-${state}`}>
                <dt>{tr(stateKey(state))}</dt>
                <dd>{formatNumber(status.counts[state] ?? 0, locale)}</dd>
              </div>
            ))}
          </dl>
          <p className="hint" data-testid="sync-pending">
            {status.pending === 0
              ? tr('sync.pendingNone')
              : tr('sync.pending', { count: formatNumber(status.pending, locale), bytes: formatBytes(status.pendingBytes, locale) })}
          </p>
        </section>
      )}

      {/* Conflicts (issue 5): the side-by-side panel for documents in state 'conflict' is inserted here by its owner. */}

      <section className="card" aria-labelledby="sync-problems-title" data-testid="sync-problems">
        <div className="inline" style={{ justifyContent: 'space-between' }}>
          <h2 id="sync-problems-title">{tr('sync.problems.title')}</h2>
          {retriable.length > 1 && (
            <button type="button" disabled={running} onClick={() => void retry()} data-testid="sync-retry-all">
              {tr('sync.retryAll')}
            </button>
          )}
        </div>
        {problems.length === 0 ? (
          <p className="empty">{tr('sync.problems.empty')}</p>
        ) : (
          <table className="table table-rows">
            <TableHead columns={[tr('sync.col.name'), tr('sync.col.state'), tr('sync.col.reason'), tr('sync.col.attempts'), tr('sync.col.at')]} actions />
            <tbody>
              {problems.map((problem) => (
                <tr key={problem.documentId} data-testid="sync-problem" data-state={problem.state}>
                  <td>{problem.name}</td>
                  <td>{tr(stateKey(problem.state))}</td>
                  <td data-testid="sync-problem-reason" title={problem.code}>
                    {problem.message}
                  </td>
                  <td>{formatNumber(problem.attempts, locale)}</td>
                  <td>
                    <time dateTime={problem.at}>{formatTime(problem.at, locale)}</time>
                  </td>
                  <td>
                    {problem.state !== 'conflict' && (
                      <button
                        type="button"
                        disabled={running}
                        aria-label={tr('sync.retryOne', { name: problem.name })}
                        onClick={() => void retry([problem.documentId])}
                        data-testid="sync-retry"
                      >
                        {tr('sync.retry')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {/* Conflicts (issue 5, features/conflicts): both versions side by side, the clerk chooses. */}
      <ConflictsPanel active={active} />
      <SyncHistory active={active} version={runsSeen} />
    </div>
  );
}
