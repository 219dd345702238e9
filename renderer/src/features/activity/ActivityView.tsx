// Aktivitas: the audit log for verifiers and admins, newest first, 100 entries at a time,
// filtered by user, action, employee and date, and exported as CSV with the same filters.
// main decides who may read it: a clerk who reaches this screen gets main's "forbidden"
// message and no rows.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { AuditRecord, MethodInput } from '../../../../common/contract';
import type { MessageKey } from '../../../../common/i18n';
import { download } from '../../shared/download';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';
import { actionLabelKey, KNOWN_ACTIONS } from './actions';

const PAGE = 100;

interface Draft {
  actor: string;
  action: string;
  nip: string;
  /** 'YYYY-MM-DD' from <input type=date>, or ''. */
  from: string;
  to: string;
}

type Filter = MethodInput<'audit.exportCsv'>;

const EMPTY: Draft = { actor: '', action: '', nip: '', from: '', to: '' };

/** Local midnight of a 'YYYY-MM-DD' day, `plusDays` later, as an ISO instant. */
function dayStart(day: string, plusDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays).toISOString();
}

/** What main is asked: empty fields left out, the days as [start of from, start of the day after to). */
function filterOf(draft: Draft): Filter {
  const filter: Filter = {};
  if (draft.actor.trim()) filter.actor = draft.actor.trim();
  if (draft.action) filter.action = draft.action;
  if (draft.nip.trim()) filter.nip = draft.nip.trim();
  const from = dayStart(draft.from);
  const to = dayStart(draft.to, 1);
  if (from) filter.from = from;
  if (to) filter.to = to;
  return filter;
}

function compactDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

export function ActivityView({ active }: { active: boolean }) {
  const { host, openDocument } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<Filter>({});
  const [items, setItems] = useState<AuditRecord[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  // Only the newest question may fill the table.
  const generation = useRef(0);

  const load = useCallback(
    (offset: number) => {
      const mine = offset === 0 ? ++generation.current : generation.current;
      setLoading(true);
      void host.call('audit.list', { ...filter, limit: PAGE, offset }).then((result) => {
        if (mine !== generation.current) return;
        setLoading(false);
        setLoaded(true);
        if (!result.ok) {
          setError(result.error.message);
          setItems([]);
          setTotal(0);
          return;
        }
        setError(null);
        setItems((current) => (offset === 0 ? result.value.items : [...current, ...result.value.items]));
        setTotal(result.value.total);
      });
    },
    [host, filter],
  );

  // Each visit and each new filter starts again at the newest entry.
  useEffect(() => {
    if (active) load(0);
  }, [active, load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setExported(null);
    setFilter(filterOf(draft));
  };

  const reset = () => {
    setDraft(EMPTY);
    setExported(null);
    setFilter({});
  };

  const exportCsv = async () => {
    setExporting(true);
    setExported(null);
    const result = await host.call('audit.exportCsv', filter);
    setExporting(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    download(result.value.fileName, new Blob([result.value.csv], { type: 'text/csv;charset=utf-8' }));
    setExported(tr('activity.exported', { rows: formatNumber(result.value.rows, locale), fileName: result.value.fileName }));
  };

  const time = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime())
      ? iso
      : date.toLocaleString(locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  };

  const set = (key: keyof Draft) => (value: string) => setDraft((current) => ({ ...current, [key]: value }));
  const field = (key: keyof Draft, label: MessageKey, type: 'text' | 'date' = 'text') => (
    <label className="field">
      <span>{tr(label)}</span>
      <input
        type={type}
        value={draft[key]}
        inputMode={type === 'text' ? 'numeric' : undefined}
        maxLength={40}
        spellCheck={false}
        data-testid={`activity-filter-${key}`}
        onChange={(event) => set(key)(event.target.value)}
      />
    </label>
  );

  return (
    <div className="activity-view" data-testid="activity-view">
      <header className="view-head">
        <h1>{tr('activity.title')}</h1>
        <p className="hint">{tr('activity.intro')}</p>
      </header>
      <form className="card" aria-label={tr('activity.filters')} onSubmit={apply} data-testid="activity-filters">
        <div className="inline" style={{ flexWrap: 'wrap', alignItems: 'end' }}>
          {field('actor', 'activity.filter.actor')}
          <label className="field">
            <span>{tr('activity.filter.action')}</span>
            <select value={draft.action} data-testid="activity-filter-action" onChange={(event) => set('action')(event.target.value)}>
              <option value="">{tr('activity.filter.anyAction')}</option>
              {KNOWN_ACTIONS.map((code) => (
                <option key={code} value={code}>
                  {tr(actionLabelKey(code)!)} ({code})
                </option>
              ))}
            </select>
          </label>
          {field('nip', 'activity.filter.nip')}
          {field('from', 'activity.filter.from', 'date')}
          {field('to', 'activity.filter.to', 'date')}
        </div>
        <div className="inline">
          <button type="submit" className="primary" data-testid="activity-apply">
            {tr('activity.apply')}
          </button>
          <button type="button" onClick={reset} data-testid="activity-reset">
            {tr('activity.reset')}
          </button>
          <button type="button" onClick={() => void exportCsv()} disabled={exporting || error !== null} data-testid="activity-export">
            {exporting ? tr('activity.exporting') : tr('activity.export')}
          </button>
        </div>
      </form>
      <ErrorBox message={error} />
      {exported && <Notice tone="success">{exported}</Notice>}
      {!error && loaded && (
        <>
          <p className="hint" data-testid="activity-count">
            {tr('activity.count', { shown: formatNumber(items.length, locale), total: formatNumber(total, locale) })}
          </p>
          {items.length === 0 ? (
            <p className="empty">{tr('activity.empty')}</p>
          ) : (
            <table className="table table-rows" data-testid="activity-list">
              <thead>
                <tr>
                  <th scope="col">{tr('activity.col.at')}</th>
                  <th scope="col">{tr('activity.col.actor')}</th>
                  <th scope="col">{tr('activity.col.action')}</th>
                  <th scope="col">{tr('activity.col.document')}</th>
                  <th scope="col">{tr('activity.col.nip')}</th>
                  <th scope="col">{tr('activity.col.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => {
                  const labelKey = actionLabelKey(entry.action);
                  const detail = compactDetail(entry.detail);
                  return (
                    <tr key={entry.id} data-testid="activity-row" data-action={entry.action}>
                      <td>
                        <time dateTime={entry.at}>{time(entry.at)}</time>
                      </td>
                      <td className="mono">{entry.actor}</td>
                      <td title={entry.action}>{labelKey ? tr(labelKey) : entry.action}</td>
                      <td>
                        {entry.documentId !== null && (
                          <button type="button" className="link" aria-label={tr('activity.openDocument', { id: entry.documentId })} onClick={() => openDocument(entry.documentId!)}>
                            #{entry.documentId}
                          </button>
                        )}
                      </td>
                      <td className="mono">{entry.nip ?? ''}</td>
                      <td className="muted" title={detail} style={{ maxWidth: 360, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                        {detail}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {items.length < total && (
            <button type="button" disabled={loading} onClick={() => load(items.length)} data-testid="activity-more">
              {loading ? tr('activity.loading') : tr('activity.loadMore')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
