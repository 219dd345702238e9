// Verifikasi (issue 7): the verifier's queue of labelled documents awaiting approval,
// filtered by unit, clerk and day; the page (the labelling view's PDF preview) beside the
// label; approve one, reject one with a reason the clerk will read, or approve a reviewed
// batch. Keyboard: ↑/↓ move, Space ticks the current document, Shift+↑/↓ ticks while
// moving, Ctrl+Enter approves the ticked ones (or the current one when none is ticked).
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { REVIEW_REASON_MAX, type DocumentDetail, type ReviewItem } from '../../../../common/contract';
import { PdfView } from '../viewer';
import { formatDate, formatNumber, useLocale, useT } from '../../shared/i18n';
import { fieldLabel, typeName } from '../../shared/reference';
import { useServices } from '../../shared/services';
import { ErrorBox, Keys, Notice } from '../../shared/ui';

const PAGE = 200;

interface Filter {
  unitKerja: string;
  clerk: string;
  from: string;
  to: string;
}

/** A local calendar day's start as an instant; `next` gives the following day's (for an inclusive end). */
function dayStart(day: string, next = false): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (next ? 1 : 0)).toISOString();
}

export function ReviewView({ active }: { active: boolean }) {
  const { host, reference } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [filter, setFilter] = useState<Filter>({ unitKerja: '', clerk: '', from: '', to: '' });
  const [units, setUnits] = useState<string[]>([]);
  const [clerks, setClerks] = useState<string[]>([]);
  const [enabled, setEnabled] = useState(true);
  const [items, setItems] = useState<ReviewItem[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState(0);
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set());
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const current = items[cursor] as ReviewItem | undefined;

  const load = useCallback(async () => {
    const result = await host.call('review.list', {
      unitKerja: filter.unitKerja || undefined,
      clerk: filter.clerk || undefined,
      from: dayStart(filter.from),
      to: dayStart(filter.to, true),
      limit: PAGE,
    });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setEnabled(result.value.enabled);
    setItems(result.value.items);
    setTotal(result.value.total);
    setClerks(result.value.clerks);
    // Ticks survive a reload only for documents still waiting.
    const ids = new Set(result.value.items.map((item) => item.id));
    setTicked((seen) => new Set([...seen].filter((id) => ids.has(id))));
    setCursor((at) => Math.min(at, Math.max(0, result.value.items.length - 1)));
  }, [host, filter]);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  useEffect(() => {
    if (!active) return;
    void host.call('employees.units', {}).then((result) => result.ok && setUnits(result.value));
  }, [active, host]);

  const currentId = current?.id ?? null;
  useEffect(() => {
    setDetail(null);
    setRejecting(false);
    setReason('');
    if (currentId === null) return;
    let cancelled = false;
    void host.call('documents.get', { id: currentId }).then((result) => {
      if (!cancelled && result.ok) setDetail(result.value);
    });
    return () => {
      cancelled = true;
    };
  }, [host, currentId]);

  function toggle(id: number, on?: boolean) {
    setTicked((seen) => {
      const next = new Set(seen);
      if (on ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function approve(ids: number[]) {
    if (ids.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    setStatus(null);
    const seen = new Map(items.map((item) => [item.id, item.labelledAt ?? '']));
    const result = await host.call('review.approve', { items: ids.map((id) => ({ id, labelledAt: seen.get(id) ?? '' })) });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setStatus(tr('review.approved', { count: formatNumber(result.value.approved, locale) }));
    setTicked(new Set());
    await load();
    listRef.current?.focus();
  }

  async function reject() {
    if (!current || busy) return;
    const text = reason.trim();
    if (text === '') {
      setError(tr('review.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    setStatus(null);
    const result = await host.call('review.reject', { id: current.id, reason: text });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setStatus(tr('review.rejectedDone', { id: current.id }));
    await load();
    listRef.current?.focus();
  }

  function onListKey(event: KeyboardEvent<HTMLOListElement>) {
    const { key, shiftKey, ctrlKey, metaKey } = event;
    const move = (step: number) => {
      event.preventDefault();
      const target = Math.min(items.length - 1, Math.max(0, cursor + step));
      // Shift ticks the document left and the one arrived at, as a selection grows.
      if (shiftKey && current) {
        toggle(current.id, true);
        if (items[target]) toggle(items[target].id, true);
      }
      setCursor(target);
    };
    if (key === 'ArrowDown') return move(1);
    if (key === 'ArrowUp') return move(-1);
    if (key === ' ' && current) {
      event.preventDefault();
      return toggle(current.id);
    }
    if ((ctrlKey || metaKey) && key === 'Enter') {
      event.preventDefault();
      void approve(ticked.size > 0 ? [...ticked] : current ? [current.id] : []);
    }
  }

  const setField = (key: keyof Filter) => (value: string) => setFilter((f) => ({ ...f, [key]: value }));

  if (!enabled) {
    return (
      <div className="label-view">
        <header className="view-head">
          <h1>{tr('review.title')}</h1>
        </header>
        <Notice>{tr('review.off')}</Notice>
      </div>
    );
  }

  return (
    <div className="label-view">
      <header className="view-head">
        <h1>{tr('review.title')}</h1>
        <p className="hint" data-testid="review-count">
          {tr('review.count', { count: formatNumber(total, locale) })}
        </p>
      </header>
      <div className="inline" role="group" aria-label={tr('review.filters')}>
        <label>
          {tr('review.filter.unit')}{' '}
          <select data-testid="review-unit" value={filter.unitKerja} onChange={(event) => setField('unitKerja')(event.target.value)}>
            <option value="">{tr('review.filter.all')}</option>
            {units.map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tr('review.filter.clerk')}{' '}
          <select data-testid="review-clerk" value={filter.clerk} onChange={(event) => setField('clerk')(event.target.value)}>
            <option value="">{tr('review.filter.all')}</option>
            {clerks.map((nip) => (
              <option key={nip} value={nip}>
                {nip}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tr('review.filter.from')} <input type="date" data-testid="review-from" value={filter.from} onChange={(event) => setField('from')(event.target.value)} />
        </label>
        <label>
          {tr('review.filter.to')} <input type="date" data-testid="review-to" value={filter.to} onChange={(event) => setField('to')(event.target.value)} />
        </label>
      </div>
      {status && <Notice tone="success">{status}</Notice>}
      <ErrorBox message={error} />
      {items.length === 0 ? (
        <div className="empty" data-testid="review-empty">
          <p>{tr('review.empty')}</p>
        </div>
      ) : (
        <div className="label-grid">
          <aside className="queue" aria-label={tr('review.queue')}>
            <ol ref={listRef} tabIndex={0} data-testid="review-list" onKeyDown={onListKey} aria-activedescendant={current ? `review-item-${current.id}` : undefined}>
              {items.map((item, at) => (
                <li key={item.id} id={`review-item-${item.id}`} data-testid="review-item" aria-current={at === cursor ? 'true' : undefined}>
                  <label>
                    <input
                      type="checkbox"
                      tabIndex={-1}
                      checked={ticked.has(item.id)}
                      aria-label={tr('review.tick', { name: item.originalName })}
                      onChange={() => toggle(item.id)}
                    />{' '}
                  </label>
                  <button type="button" tabIndex={-1} aria-current={at === cursor ? 'true' : undefined} onClick={() => setCursor(at)}>
                    <span className="queue-name">{item.originalName}</span>
                    <span className="muted">
                      #{item.id} · {typeName(reference, item.typeCode, locale)} · {item.nama ?? item.nip}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
            <button type="button" className="primary" data-testid="review-approve-ticked" disabled={ticked.size === 0 || busy} onClick={() => void approve([...ticked])}>
              {tr('review.approveTicked', { count: formatNumber(ticked.size, locale) })}
            </button>
          </aside>

          <div className="label-form" data-testid="review-detail">
            {current && (
              <>
                <p className="doc-line">
                  <strong>{current.originalName}</strong> <span className="muted">#{current.id}</span>
                </p>
                <dl className="facts facts-column">
                  <div>
                    <dt>{tr('doc.nip')}</dt>
                    <dd className="mono">{current.nip}</dd>
                  </div>
                  <div>
                    <dt>{tr('review.employee')}</dt>
                    <dd>{[current.nama, current.unitKerja].filter(Boolean).join(' · ')}</dd>
                  </div>
                  <div>
                    <dt>{tr('label.type')}</dt>
                    <dd>{typeName(reference, current.typeCode, locale)}</dd>
                  </div>
                  {Object.entries(detail?.fields ?? {}).map(([key, value]) => (
                    <div key={key}>
                      <dt>{fieldLabel(reference, key, locale)}</dt>
                      <dd>{reference.fields[key]?.kind === 'date' ? formatDate(value, locale) : value}</dd>
                    </div>
                  ))}
                  <div>
                    <dt>{tr('review.labelledBy')}</dt>
                    <dd>
                      {current.labelledBy} · {formatDate(current.labelledAt, locale)}
                    </dd>
                  </div>
                </dl>
                <div className="form-actions">
                  <button type="button" className="primary" data-testid="review-approve" disabled={busy} onClick={() => void approve([current.id])}>
                    {tr('review.approve')}
                  </button>
                  <button type="button" data-testid="review-reject-open" onClick={() => setRejecting(true)}>
                    {tr('review.reject')}
                  </button>
                </div>
                {rejecting && (
                  <div className="field">
                    <label htmlFor="review-reason">{tr('review.reason')}</label>
                    <textarea
                      id="review-reason"
                      data-testid="review-reason"
                      autoFocus
                      maxLength={REVIEW_REASON_MAX}
                      rows={3}
                      value={reason}
                      onChange={(event) => setReason(event.target.value)}
                    />
                    <span className="muted">{tr('review.reasonCount', { n: reason.length, max: REVIEW_REASON_MAX })}</span>
                    <button type="button" className="primary" data-testid="review-reject" disabled={busy} onClick={() => void reject()}>
                      {tr('review.rejectSend')}
                    </button>
                  </div>
                )}
              </>
            )}
            <dl className="shortcuts" aria-label={tr('label.shortcuts')}>
              <div>
                <dt>
                  <Keys keys={['Spasi']} />
                </dt>
                <dd>{tr('review.keys.tick')}</dd>
              </div>
              <div>
                <dt>
                  <Keys keys={['Shift', '↑']} /> <Keys keys={['Shift', '↓']} />
                </dt>
                <dd>{tr('review.keys.extend')}</dd>
              </div>
              <div>
                <dt>
                  <Keys keys={['Ctrl', 'Enter']} />
                </dt>
                <dd>{tr('review.keys.approve')}</dd>
              </div>
            </dl>
          </div>

          <div className="preview" aria-label={tr('label.preview')}>
            {currentId !== null && <PdfView key={currentId} id={currentId} compact />}
          </div>
        </div>
      )}
    </div>
  );
}
