// Search as you type over every document: name, NIP, number, type, notes, with filters
// (type, state, unit). The result list is virtualised and loads 100 rows at a time as it
// scrolls, so a profile of a million documents answers as fast as an empty one. Keys: "/"
// focuses the box, arrows move through the results, Enter opens one in the viewer.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DocumentState, SearchHit } from '../../../../common/contract';
import { useDebounced, isTyping } from '../../shared/hooks';
import { formatDate, formatNumber, useLocale, useT } from '../../shared/i18n';
import { typeName } from '../../shared/reference';
import { useServices } from '../../shared/services';
import { DocumentTypeOptions, ErrorBox, Keys, StateBadge } from '../../shared/ui';

const PAGE = 100;
/** The contract's largest page: what a refresh may reload in one call. */
const MAX_LIMIT = 500;
const ROW_HEIGHT = 60;
const DEBOUNCE_MS = 120;

interface Filters {
  text: string;
  typeCode: string;
  state: '' | DocumentState;
  unitKerja: string;
}

export function SearchView({ active }: { active: boolean }) {
  const { host, reference, openDocument } = useServices();
  const tr = useT();
  const locale = useLocale();
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [filters, setFilters] = useState<Filters>({ text: '', typeCode: '', state: '', unitKerja: '' });
  const [units, setUnits] = useState<string[] | null>(null);
  const [items, setItems] = useState<SearchHit[]>([]);
  const [total, setTotal] = useState(0);
  const [capped, setCapped] = useState(false);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [searched, setSearched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [activeIndex, setActiveIndex] = useState(-1);
  const settled = useDebounced(filters, DEBOUNCE_MS);
  // Answers can come back out of order; only the newest query may fill the list.
  const generation = useRef(0);
  const loadingMore = useRef(false);
  // The newest list and selection, for a refresh that must keep the clerk's place.
  const latest = useRef({ items, activeIndex });
  // Bumped when a page fetch was overtaken by a refresh: the "near the end?" check must run
  // again even though neither the rows nor the scroll moved.
  const [recheck, setRecheck] = useState(0);
  latest.current = { items, activeIndex };

  const fetchPage = useCallback(
    (offset: number, limit: number) =>
      host.call('search.query', {
        text: settled.text,
        typeCode: settled.typeCode || undefined,
        state: settled.state || undefined,
        unitKerja: settled.unitKerja || undefined,
        limit,
        offset,
      }),
    [host, settled],
  );

  // A new question: the list starts again at the top.
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    void fetchPage(0, PAGE).then((result) => {
      if (mine !== generation.current) return;
      setLoading(false);
      setSearched(true);
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setItems(result.value.items);
      setTotal(result.value.total);
      setCapped(result.value.totalCapped);
      setHasMore(result.value.items.length === PAGE);
      setActiveIndex(-1);
      listRef.current?.scrollTo({ top: 0 });
    });
  }, [fetchPage]);

  // The same question again because documents changed: same rows loaded, same row
  // selected, no jump, so a clerk coming back from the viewer is where they left.
  const refresh = useCallback(() => {
    const mine = ++generation.current;
    const { items: shown, activeIndex: at } = latest.current;
    const keep = shown[at]?.id;
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE, shown.length));
    void fetchPage(0, limit).then((result) => {
      if (mine !== generation.current || !result.ok) return;
      setItems(result.value.items);
      setTotal(result.value.total);
      setCapped(result.value.totalCapped);
      setHasMore(result.value.items.length === limit);
      setActiveIndex(keep === undefined ? -1 : result.value.items.findIndex((hit) => hit.id === keep));
      setRecheck((n) => n + 1);
    });
  }, [fetchPage]);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  const wasActive = useRef(active);
  useEffect(() => {
    if (active && !wasActive.current) refreshRef.current();
    wasActive.current = active;
  }, [active]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = host.on((name, _payload) => {
      if (name !== 'documents.onDidChange') return;
      // An import changes documents one by one: wait for a quiet moment.
      clearTimeout(timer);
      timer = setTimeout(() => refreshRef.current(), 400);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [host]);

  const loadMore = useCallback(() => {
    if (loadingMore.current || !hasMore) return;
    loadingMore.current = true;
    const mine = generation.current;
    void fetchPage(items.length, PAGE).then((result) => {
      loadingMore.current = false;
      if (mine !== generation.current) {
        setRecheck((n) => n + 1);
        return;
      }
      if (!result.ok) {
        setError(result.error.message);
        setHasMore(false);
        return;
      }
      setItems((current) => [...current, ...result.value.items]);
      setHasMore(result.value.items.length === PAGE);
    });
  }, [hasMore, items.length, fetchPage]);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const rows = virtualizer.getVirtualItems();
  const lastVisible = rows.length > 0 ? rows[rows.length - 1].index : -1;

  useEffect(() => {
    if (lastVisible >= items.length - 20) loadMore();
  }, [lastVisible, items.length, loadMore, recheck]);

  useEffect(() => {
    if (active) inputRef.current?.focus();
  }, [active]);

  useEffect(() => {
    if (!active) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === '/' && !isTyping(event.target) && !event.ctrlKey && !event.altKey && !event.metaKey) {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);

  function move(to: number) {
    if (items.length === 0) return;
    const index = Math.min(items.length - 1, Math.max(0, to));
    setActiveIndex(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }

  function onInputKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && items.length > 0) {
      event.preventDefault();
      move(Math.max(0, activeIndex));
      listRef.current?.focus();
    } else if (event.key === 'Enter' && items.length > 0) {
      event.preventDefault();
      openDocument(items[Math.max(0, activeIndex)].id);
    }
  }

  function onListKey(event: KeyboardEvent<HTMLDivElement>) {
    const pageRows = Math.max(1, Math.floor((listRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const actions: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => (activeIndex <= 0 ? inputRef.current?.focus() : move(activeIndex - 1)),
      PageDown: () => move(activeIndex + pageRows),
      PageUp: () => move(activeIndex - pageRows),
      Home: () => move(0),
      End: () => {
        move(items.length - 1);
        loadMore();
      },
      Enter: () => activeIndex >= 0 && openDocument(items[activeIndex].id),
    };
    const action = actions[event.key];
    if (!action || event.altKey || event.ctrlKey) return;
    event.preventDefault();
    action();
  }

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((current) => ({ ...current, [key]: value }));
  const loadUnits = () => {
    if (units !== null) return;
    setUnits([]);
    void host.call('employees.units', {}).then((result) => setUnits(result.ok ? result.value : []));
  };
  const totalText = capped ? `${formatNumber(total, locale)}+` : formatNumber(total, locale);

  return (
    <div className="search-view">
      <header className="view-head">
        <h1>{tr('search.title')}</h1>
        <p className="hint">
          <Keys keys={['/']} /> {tr('search.keys.focus')} · <Keys keys={['↓', '↑']} /> {tr('search.keys.move')} · <Keys keys={['Enter']} /> {tr('search.keys.open')}
        </p>
      </header>
      <div className="search-bar">
        <label className="search-box">
          <span className="visually-hidden">{tr('search.label')}</span>
          <input
            ref={inputRef}
            type="search"
            data-testid="search-input"
            placeholder={tr('search.placeholder')}
            value={filters.text}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => set('text', event.target.value)}
            onKeyDown={onInputKey}
          />
        </label>
        <label>
          <span>{tr('search.filter.type')}</span>
          <select value={filters.typeCode} onChange={(event) => set('typeCode', event.target.value)} data-testid="search-type">
            <option value="">{tr('search.filter.any')}</option>
            <DocumentTypeOptions />
          </select>
        </label>
        <label>
          <span>{tr('search.filter.state')}</span>
          <select value={filters.state} onChange={(event) => set('state', event.target.value as Filters['state'])} data-testid="search-state">
            <option value="">{tr('search.filter.any')}</option>
            <option value="draft">{tr('state.draft')}</option>
            <option value="ready">{tr('state.ready')}</option>
          </select>
        </label>
        <label>
          <span>{tr('search.filter.unit')}</span>
          <select
            value={filters.unitKerja}
            onFocus={loadUnits}
            onPointerDown={loadUnits}
            onChange={(event) => set('unitKerja', event.target.value)}
            data-testid="search-unit"
          >
            <option value="">{tr('search.filter.any')}</option>
            {(units ?? []).map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
            {filters.unitKerja && !(units ?? []).includes(filters.unitKerja) && <option value={filters.unitKerja}>{filters.unitKerja}</option>}
          </select>
        </label>
      </div>
      <div className="search-status" aria-live="polite">
        {loading && !searched ? tr('search.loading') : <span data-testid="search-total">{tr('search.total', { count: totalText })}</span>}
      </div>
      <ErrorBox message={error} />
      <div
        ref={listRef}
        className="result-list"
        role="listbox"
        tabIndex={0}
        aria-label={tr('search.results')}
        aria-activedescendant={activeIndex >= 0 && items[activeIndex] ? `hit-${items[activeIndex].id}` : undefined}
        onKeyDown={onListKey}
        data-testid="search-results"
      >
        {searched && items.length === 0 && !error && <div className="empty">{tr('search.none')}</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const hit = items[row.index];
            return (
              <div
                key={hit.id}
                id={`hit-${hit.id}`}
                role="option"
                aria-selected={row.index === activeIndex}
                className="result-row"
                data-testid="search-hit"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                onClick={() => {
                  setActiveIndex(row.index);
                  openDocument(hit.id);
                }}
              >
                <div className="result-main">
                  <strong>{typeName(reference, hit.typeCode, locale) || tr('doc.untyped')}</strong>
                  {hit.nomor && <span>{hit.nomor}</span>}
                  {hit.tanggal && <span>{formatDate(hit.tanggal, locale)}</span>}
                  <StateBadge state={hit.state} />
                </div>
                <div className="result-sub">
                  <span className="mono">{hit.nip ?? tr('doc.noNip')}</span>
                  {hit.nama && <span>{hit.nama}</span>}
                  {hit.unitKerja && <span>{hit.unitKerja}</span>}
                  <span className="muted">{hit.originalName}</span>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
