// Page tools in the viewer (issue 6, main/core/pages): rotate, move and delete the page
// shown, split the document there, find blank pages to remove, and a warning for pages
// scanned under 150 dpi. Every change is saved as new document bytes at once; deleting and
// splitting ask first. The keys work while the viewer has focus (listed under the tools).
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { DocumentDetail, DocumentSummary } from '../../../../common/contract';
import type { Result } from '../../../../common/errors';
import { isTyping } from '../../shared/hooks';
import { useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Keys, Notice } from '../../shared/ui';

type Confirm = { kind: 'delete'; pages: number[] } | { kind: 'split'; at: number };

/** A question under the tools; Escape inside it cancels and goes no further (it would close the viewer). */
function Question(props: { tone: 'info' | 'warning'; role: 'dialog' | 'alertdialog'; label: string; testId: string; onCancel(): void; children: ReactNode }) {
  return (
    <div
      className={`notice notice-${props.tone}`}
      role={props.role}
      aria-label={props.label}
      data-testid={props.testId}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        props.onCancel();
      }}
    >
      {props.children}
    </div>
  );
}

/** How many candidates the merge list offers (the employee's documents and unlabelled drafts). */
const MERGE_CANDIDATES = 200;

/**
 * Merging: the documents that may join this one (same NIP, or unlabelled), ticked in the
 * order they are to follow its pages.
 */
function MergePanel({ detail, busy, onMerge, onCancel }: { detail: DocumentDetail; busy: boolean; onMerge(ids: number[]): void; onCancel(): void }) {
  const { host } = useServices();
  const tr = useT();
  const [candidates, setCandidates] = useState<DocumentSummary[] | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const lists = await Promise.all([
        detail.nip ? host.call('documents.list', { nip: detail.nip, limit: MERGE_CANDIDATES }) : null,
        host.call('documents.list', { state: 'draft', limit: MERGE_CANDIDATES }),
      ]);
      if (cancelled) return;
      const [own, drafts] = lists.map((result) => (result?.ok ? result.value.items : []));
      const unlabelled = drafts.filter((doc) => doc.nip === null);
      setCandidates([...own, ...unlabelled].filter((doc, index, all) => doc.id !== detail.id && all.findIndex((other) => other.id === doc.id) === index));
    })();
    return () => {
      cancelled = true;
    };
  }, [host, detail.id, detail.nip]);

  const toggle = (id: number) => setChosen((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));

  return (
    <Question tone="info" role="dialog" label={tr('pageTools.merge.title')} testId="page-merge" onCancel={onCancel}>
      <p>{tr('pageTools.merge.help')}</p>
      {candidates === null && <p>{tr('viewer.loading')}</p>}
      {candidates?.length === 0 && <p>{tr('pageTools.merge.none')}</p>}
      <ul className="plain-list">
        {candidates?.map((doc, index) => (
          <li key={doc.id}>
            <label>
              <input type="checkbox" autoFocus={index === 0} checked={chosen.includes(doc.id)} onChange={() => toggle(doc.id)} />{' '}
              {chosen.includes(doc.id) && <strong>{chosen.indexOf(doc.id) + 2}. </strong>}#{doc.id} {doc.originalName} · {tr('pageTools.merge.pages', { count: doc.pageCount })}
              {doc.nip ? ` · ${doc.nip}` : ''}
            </label>
          </li>
        ))}
      </ul>
      <button type="button" disabled={busy || chosen.length === 0} onClick={() => onMerge(chosen)} data-testid="page-merge-yes">
        {tr('pageTools.merge.go', { count: chosen.length })}
      </button>{' '}
      <button type="button" onClick={onCancel}>
        {tr('pageTools.cancel')}
      </button>
    </Question>
  );
}

interface PageToolsProps {
  detail: DocumentDetail;
  /** The page the view shows (1-based). */
  page: number;
  /** A saved edit: the document as it is now, and the page to show. */
  onChanged(detail: DocumentDetail, page: number): void;
}

export function PageTools({ detail, page, onChanged }: PageToolsProps) {
  const { host } = useServices();
  const tr = useT();
  const rootRef = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [merging, setMerging] = useState(false);
  const [lowDpi, setLowDpi] = useState<{ pages: number[]; dpi: number[] }>({ pages: [], dpi: [] });
  const count = detail.pageCount;

  useEffect(() => {
    let cancelled = false;
    void host.call('pages.inspect', { id: detail.id }).then((result) => {
      if (cancelled || !result.ok) return;
      const low = result.value.pages.filter((info) => info.low);
      setLowDpi({ pages: low.map((info) => info.number), dpi: low.map((info) => info.dpi ?? 0) });
    });
    return () => {
      cancelled = true;
    };
  }, [host, detail.id, detail.sha256]);

  const focusView = useCallback(() => {
    requestAnimationFrame(() => rootRef.current?.closest('.viewer-overlay')?.querySelector<HTMLElement>('.pdf-view')?.focus());
  }, []);

  /** Runs one edit; the answer's document (and the page to show) goes to the viewer. */
  async function run<T>(call: () => Promise<Result<T>>, next: (value: T) => { detail: DocumentDetail; page: number; done?: string }) {
    setBusy(true);
    setError(null);
    setDone(null);
    const result = await call();
    setBusy(false);
    setConfirm(null);
    if (!result.ok) {
      setError(result.error.message);
      focusView();
      return;
    }
    const outcome = next(result.value);
    setDone(outcome.done ?? null);
    onChanged(outcome.detail, outcome.page);
  }

  const rotate = (degrees: 90 | 270) => void run(() => host.call('pages.rotate', { id: detail.id, pages: [page], degrees }), (value) => ({ detail: value, page }));
  const move = (by: -1 | 1) => {
    const to = page + by;
    if (to < 1 || to > count) return;
    void run(() => host.call('pages.move', { id: detail.id, from: page, to }), (value) => ({ detail: value, page: to }));
  };
  const askDelete = (pages: number[]) => setConfirm({ kind: 'delete', pages });
  const askSplit = () => (page >= 2 ? setConfirm({ kind: 'split', at: page }) : setError(tr('pageTools.splitFirst')));

  async function findBlank() {
    setBusy(true);
    setError(null);
    setDone(null);
    const result = await host.call('pages.blank', { id: detail.id });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    if (result.value.pages.length === 0) return setDone(tr('pageTools.noBlank'));
    askDelete(result.value.pages);
  }

  function accept() {
    if (!confirm) return;
    if (confirm.kind === 'delete') {
      const { pages } = confirm;
      const before = pages.filter((p) => p < page).length;
      void run(() => host.call('pages.delete', { id: detail.id, pages }), (value) => ({
        detail: value,
        page: Math.max(1, Math.min(value.pageCount, page - before)),
        done: tr('pageTools.deleted', { count: pages.length }),
      }));
    } else {
      void run(() => host.call('pages.split', { id: detail.id, at: confirm.at, keepNip: true }), (value) => ({
        detail: value.original,
        page: value.original.pageCount,
        done: tr('pageTools.splitDone', { id: value.created.id, count: value.created.pageCount }),
      }));
    }
  }

  function cancel() {
    setConfirm(null);
    setMerging(false);
    focusView();
  }

  function merge(ids: number[]) {
    void run(
      () => host.call('pages.merge', { ids: [detail.id, ...ids] }),
      (value) => ({ detail: value, page, done: tr('pageTools.merge.done', { count: ids.length, pages: value.pageCount }) }),
    ).then(() => setMerging(false));
  }

  // Keys of the whole viewer: the PDF view leaves Alt chords and Delete to its host.
  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keys.current = (event: KeyboardEvent) => {
    if (busy || confirm || merging || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    const actions: Record<string, () => void> = event.altKey
      ? {
          KeyR: () => rotate(event.shiftKey ? 270 : 90),
          ArrowUp: () => move(-1),
          ArrowDown: () => move(1),
          KeyS: askSplit,
          KeyB: () => void findBlank(),
          KeyG: () => setMerging(true),
        }
      : { Delete: () => (count > 1 ? askDelete([page]) : setError(tr('pageTools.lastPage'))) };
    const action = actions[event.code];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };
  useEffect(() => {
    const overlay = rootRef.current?.closest('.viewer-overlay');
    if (!overlay) return;
    const listener = (event: Event) => keys.current(event as KeyboardEvent);
    overlay.addEventListener('keydown', listener);
    return () => overlay.removeEventListener('keydown', listener);
  }, []);

  return (
    <div ref={rootRef} className="page-tools" data-testid="page-tools">
      {lowDpi.pages.length > 0 && (
        <div data-testid="low-dpi-warning">
          <Notice tone="warning">{tr('pageTools.lowDpi', { pages: lowDpi.pages.join(', '), dpi: Math.min(...lowDpi.dpi) })}</Notice>
        </div>
      )}
      <div className="pdf-toolbar" role="toolbar" aria-label={tr('pageTools.toolbar')}>
        <button type="button" disabled={busy} onClick={() => rotate(90)} title={tr('pageTools.rotate.hint')} data-testid="page-rotate">
          {tr('pageTools.rotate')}
        </button>
        <button type="button" disabled={busy || page <= 1} onClick={() => move(-1)} title={tr('pageTools.moveUp.hint')}>
          {tr('pageTools.moveUp')}
        </button>
        <button type="button" disabled={busy || page >= count} onClick={() => move(1)} title={tr('pageTools.moveDown.hint')}>
          {tr('pageTools.moveDown')}
        </button>
        <button type="button" disabled={busy || count <= 1} onClick={() => askDelete([page])} title={tr('pageTools.delete.hint')} data-testid="page-delete">
          {tr('pageTools.delete')}
        </button>
        <button type="button" disabled={busy || page < 2} onClick={askSplit} title={tr('pageTools.split.hint')}>
          {tr('pageTools.split')}
        </button>
        <button type="button" disabled={busy} onClick={() => void findBlank()} title={tr('pageTools.blank.hint')}>
          {tr('pageTools.blank')}
        </button>
        <button type="button" disabled={busy} onClick={() => setMerging(true)} title={tr('pageTools.merge.hint')} data-testid="page-merge-open">
          {tr('pageTools.merge')}
        </button>
        {busy && <span role="status">{tr('pageTools.saving')}</span>}
      </div>
      {confirm && (
        <Question tone="warning" role="alertdialog" label={tr('pageTools.confirm')} testId="page-confirm" onCancel={cancel}>
          {confirm.kind === 'delete'
            ? tr('pageTools.confirmDelete', { pages: confirm.pages.join(', '), count: confirm.pages.length })
            : tr('pageTools.confirmSplit', { from: confirm.at, to: count })}{' '}
          <button type="button" autoFocus disabled={busy} onClick={accept} data-testid="page-confirm-yes">
            {confirm.kind === 'delete' ? tr('pageTools.yesDelete') : tr('pageTools.yesSplit')}
          </button>{' '}
          <button type="button" onClick={cancel}>
            {tr('pageTools.cancel')}
          </button>
        </Question>
      )}
      {merging && <MergePanel detail={detail} busy={busy} onMerge={merge} onCancel={cancel} />}
      <ErrorBox message={error} />
      {done && <Notice tone="success">{done}</Notice>}
      <div className="pdf-keys">
        {tr('pageTools.keys')}: <Keys keys={['Alt', 'R']} /> {tr('pageTools.keys.rotate')} · <Keys keys={['Alt', '↑', '↓']} /> {tr('pageTools.keys.move')} ·{' '}
        <Keys keys={['Del']} /> {tr('pageTools.keys.delete')} · <Keys keys={['Alt', 'S']} /> {tr('pageTools.keys.split')} · <Keys keys={['Alt', 'B']} />{' '}
        {tr('pageTools.keys.blank')} · <Keys keys={['Alt', 'G']} /> {tr('pageTools.keys.merge')}
      </div>
    </div>
  );
}
