// The labelling loop: the queue of draft documents, one at a time, its preview beside a
// form pre-filled from what the import guessed. The type drives the fields; every field is
// checked as the clerk types with the same rules main applies. Built for the keyboard:
// focus starts on NIP, Enter moves on (and saves in the last field), Ctrl+Enter saves and
// goes to the next document, Alt+arrows or PageUp/PageDown move through the queue, Alt+N
// returns to NIP.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DocumentDetail, DocumentSummary } from '../../../../common/contract';
import { formatIsoDate, parseLooseDate } from '../../../../common/dates';
import { fieldOptions, type FieldDef } from '../../../../common/doctypes';
import { formatBytes, pick } from '../../../../common/i18n';
import type { EmployeeKind } from '../../../../common/nip';
import { PdfView } from '../viewer';
// OCR (issue 6): proposals from the scanned text.
import { OcrProgress, OcrProposal, proposalFor, useOcrStatus } from '../ocr/proposals';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { findType } from '../../shared/reference';
import { useServices } from '../../shared/services';
import { ErrorBox, Keys, Notice } from '../../shared/ui';
import { fieldErrors, nipError, normalizeNip } from '../../shared/validation';

const PAGE = 100;

interface FormState {
  nip: string;
  typeCode: string;
  fields: Record<string, string>;
  notes: string;
}

type EmployeeCheck =
  | { state: 'idle' }
  | { state: 'found'; nama: string; unitKerja: string | null; kind: EmployeeKind }
  | { state: 'missing' };

function formFrom(detail: DocumentDetail): FormState {
  return {
    nip: detail.nip ?? detail.guess.nip ?? '',
    typeCode: detail.typeCode ?? detail.guess.typeCode ?? '',
    fields: { ...detail.fields },
    notes: detail.notes,
  };
}

export function LabelView({ active }: { active: boolean }) {
  const { host, reference, navigate } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [queue, setQueue] = useState<DocumentSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [index, setIndex] = useState(0);
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [employee, setEmployee] = useState<EmployeeCheck>({ state: 'idle' });
  // Edits survive moving back and forth through the queue until saved.
  const drafts = useRef(new Map<number, FormState>());
  const inputs = useRef(new Map<string, HTMLInputElement | HTMLSelectElement>());
  const focusNipNext = useRef(true);
  const current = queue[index] as DocumentSummary | undefined;
  const currentId = current?.id ?? null;

  const currentIdRef = useRef<number | null>(null);
  currentIdRef.current = currentId;
  const ocr = useOcrStatus(currentId); // OCR (issue 6)

  // Verification (issue 7): documents a verifier sent back come first, with the reason;
  // `sentBack` counts them so later pages of drafts are read from the right offset.
  const sentBack = useRef(0);
  const loadQueue = useCallback(
    async (offset: number): Promise<DocumentSummary[] | null> => {
      const result = await host.call('documents.list', { state: 'draft', limit: PAGE, offset: Math.max(0, offset - sentBack.current) });
      if (!result.ok) {
        setError(result.error.message);
        return null;
      }
      const back = offset === 0 ? await host.call('review.rejected', { limit: PAGE }) : null;
      if (back) sentBack.current = back.ok ? back.value.items.length : 0;
      const items = back?.ok ? [...back.value.items, ...result.value.items] : result.value.items;
      setTotal(result.value.total + sentBack.current);
      setLoaded(true);
      setQueue((existing) => {
        if (offset === 0) return items;
        const seen = new Set(existing.map((doc) => doc.id));
        return [...existing, ...items.filter((doc) => !seen.has(doc.id))];
      });
      return items;
    },
    [host],
  );

  // The queue is read when the view opens, never at start-up: it counts drafts. Coming back
  // keeps the clerk's place.
  useEffect(() => {
    if (!active) return;
    focusNipNext.current = true;
    const keep = currentIdRef.current;
    void loadQueue(0).then((items) => {
      if (!items) return;
      const at = keep === null ? -1 : items.findIndex((doc) => doc.id === keep);
      setIndex(Math.max(0, at));
    });
  }, [active, loadQueue]);

  useEffect(() => {
    if (index >= queue.length && queue.length > 0) setIndex(queue.length - 1);
  }, [index, queue.length]);

  useEffect(() => {
    if (currentId === null) {
      setDetail(null);
      setForm(null);
      return;
    }
    let cancelled = false;
    // The previous document's form must not outlive the move: saved under the new id before
    // this one loads, it would put the last document's NIP on this one.
    setDetail(null);
    setForm(null);
    setAttempted(false);
    setTouched(new Set());
    setError(null);
    void host.call('documents.get', { id: currentId }).then((result) => {
      if (cancelled) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setDetail(result.value);
      setForm(drafts.current.get(currentId) ?? formFrom(result.value));
    });
    return () => {
      cancelled = true;
    };
  }, [host, currentId]);

  useEffect(() => {
    if (form && active && focusNipNext.current) {
      focusNipNext.current = false;
      const nip = inputs.current.get('nip');
      nip?.focus();
      if (nip instanceof HTMLInputElement) nip.select();
    }
  }, [form, active]);

  const nip = normalizeNip(form?.nip ?? '');
  const type = findType(reference, form?.typeCode);
  const kind = employee.state === 'found' ? employee.kind : undefined;

  const errors = useMemo(() => {
    if (!form) return {};
    const all: Record<string, string> = {};
    const nipProblem = nip === '' ? tr('field.required', { field: tr('doc.nip') }) : nipError(nip, tr, kind);
    if (nipProblem) all.nip = nipProblem;
    if (!type) all.type = tr('field.required', { field: tr('label.type') });
    else Object.assign(all, fieldErrors(type, form.fields, reference, locale, tr));
    return all;
  }, [form, nip, type, kind, reference, locale, tr]);

  // Whether the NIP is in the employee list: a warning only, the list may lag behind.
  useEffect(() => {
    setEmployee({ state: 'idle' });
    if (nip.length !== 18 || nipError(nip, tr) !== null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void host.call('employees.get', { nip }).then((result) => {
        if (cancelled) return;
        if (result.ok) {
          const e = result.value.employee;
          setEmployee({ state: 'found', nama: e.nama, unitKerja: e.unitKerja, kind: e.kind });
        } else if (result.error.code === 'not_found') setEmployee({ state: 'missing' });
      });
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [host, nip, tr]);

  const order = useMemo(() => ['nip', 'type', ...(type?.fields.map((field) => field.key) ?? []), 'notes'], [type]);

  function update(patch: Partial<FormState>) {
    if (!form || currentId === null || detail?.id !== currentId) return;
    const next = { ...form, ...patch };
    drafts.current.set(currentId, next);
    setForm(next);
    setStatus(null);
  }

  function setField(key: string, value: string) {
    if (form) update({ fields: { ...form.fields, [key]: value } });
  }

  function touch(key: string) {
    setTouched((seen) => (seen.has(key) ? seen : new Set([...seen, key])));
  }

  function focusField(key: string) {
    const element = inputs.current.get(key);
    element?.focus();
    if (element instanceof HTMLInputElement) element.select();
  }

  const go = useCallback(
    (step: number) => {
      const target = index + step;
      if (target < 0) return;
      if (target >= queue.length) {
        if (queue.length < total) void loadQueue(queue.length).then(() => setIndex(target));
        return;
      }
      focusNipNext.current = true;
      setStatus(null);
      setIndex(target);
    },
    [index, queue.length, total, loadQueue],
  );

  async function save() {
    // Only the form of the document on screen: detail is reset and reloaded on every move.
    if (!form || currentId === null || detail?.id !== currentId || saving) return;
    setAttempted(true);
    const firstBad = order.find((key) => errors[key]);
    if (firstBad || !type) {
      focusField(firstBad ?? 'type');
      return;
    }
    setSaving(true);
    setError(null);
    const fields = Object.fromEntries(type.fields.map(({ key }) => [key, (form.fields[key] ?? '').trim()]).filter(([, value]) => value !== ''));
    const result = await host.call('documents.label', { id: currentId, nip, typeCode: type.code, fields, notes: form.notes.trim() });
    setSaving(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    drafts.current.delete(currentId);
    if (current?.review === 'rejected') sentBack.current = Math.max(0, sentBack.current - 1); // Verification (issue 7)
    setStatus(tr('label.saved', { id: currentId, name: result.value.originalName, state: tr(result.value.state === 'ready' ? 'state.ready' : 'state.draft') }));
    focusNipNext.current = true;
    const remaining = queue.filter((doc) => doc.id !== currentId);
    setQueue(remaining);
    setTotal((n) => Math.max(0, n - 1));
    // The index now points at the next document; past the end, fetch what is left.
    if (index >= remaining.length && total - 1 > remaining.length) void loadQueue(remaining.length);
    else if (index >= remaining.length) setIndex(Math.max(0, remaining.length - 1));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const { key, code, altKey, ctrlKey, metaKey, shiftKey } = event;
    const run = (action: () => void) => {
      event.preventDefault();
      event.stopPropagation();
      action();
    };
    if ((ctrlKey || metaKey) && key === 'Enter') return run(() => void save());
    if (altKey && !ctrlKey && key === 'ArrowLeft') return run(() => go(-1));
    if (altKey && !ctrlKey && key === 'ArrowRight') return run(() => go(1));
    if (altKey && !ctrlKey && code === 'KeyN') return run(() => focusField('nip'));
    if (!altKey && !ctrlKey && key === 'PageUp') return run(() => go(-1));
    if (!altKey && !ctrlKey && key === 'PageDown') return run(() => go(1));
    if (key === 'Enter' && !altKey && !ctrlKey && !metaKey && !shiftKey) {
      const at = order.findIndex((name) => inputs.current.get(name) === event.target);
      if (at === -1) return;
      // OCR (issue 6): Enter in an empty field takes the proposal shown beside it; the next Enter moves on.
      const proposed = form && (order[at] === 'nip' ? (form.nip === '' ? proposalFor(ocr, 'nip', '') : null) : !form.fields[order[at]] ? proposalFor(ocr, order[at], '') : null);
      if (proposed) return run(() => (order[at] === 'nip' ? update({ nip: proposed }) : setField(order[at], proposed)));
      if (at === order.length - 1) return run(() => void save());
      return run(() => focusField(order[at + 1]));
    }
  }

  const register = (key: string) => (element: HTMLInputElement | HTMLSelectElement | null) => {
    if (element) inputs.current.set(key, element);
    else inputs.current.delete(key);
  };
  const shown = (key: string) => (attempted || touched.has(key)) && errors[key];
  const describe = (key: string) => (shown(key) ? `label-error-${key}` : undefined);

  function renderField(key: string, required: boolean) {
    const def: FieldDef | undefined = reference.fields[key];
    if (!def || !form) return null;
    const value = form.fields[key] ?? '';
    const id = `label-field-${key}`;
    const common = {
      id,
      ref: register(key),
      'data-testid': id,
      'aria-required': required,
      'aria-invalid': shown(key) ? true : undefined,
      'aria-describedby': describe(key),
    };
    let control;
    if (def.kind === 'select') {
      const options = fieldOptions(def, reference);
      control = (
        <select {...common} value={value} onChange={(event) => setField(key, event.target.value)} onBlur={() => touch(key)}>
          <option value="">{tr('label.choose')}</option>
          {options.map((option) => {
            const golongan = def.options === 'golongan' ? reference.golongan.find((g) => g.code === option) : undefined;
            return (
              <option key={option} value={option}>
                {golongan?.pangkat ? `${option} — ${golongan.pangkat}` : option}
              </option>
            );
          })}
        </select>
      );
    } else {
      const placeholder = def.kind === 'date' ? tr('label.datePlaceholder') : def.kind === 'year' ? tr('label.yearPlaceholder') : undefined;
      control = (
        <input
          {...common}
          type="text"
          inputMode={def.kind === 'year' ? 'numeric' : def.kind === 'number' ? 'decimal' : undefined}
          autoComplete="off"
          spellCheck={false}
          maxLength={def.kind === 'year' ? 4 : (def.maxLength ?? 200)}
          placeholder={placeholder}
          value={value}
          onChange={(event) => setField(key, event.target.value)}
          onBlur={() => {
            touch(key);
            // Clerks type dates as they read them (01-03-2015); store the ISO form.
            if (def.kind === 'date') {
              const parsed = parseLooseDate(value);
              if (parsed && formatIsoDate(parsed) !== value) setField(key, formatIsoDate(parsed));
            }
          }}
        />
      );
    }
    return (
      <div className="field" key={key}>
        <label htmlFor={id}>
          {pick(def.label, locale)}
          {required && <span className="required" aria-hidden="true"> *</span>}
        </label>
        {control}
        <OcrProposal field={key} value={proposalFor(ocr, key, value)} onAccept={(accepted) => setField(key, accepted)} />
        {shown(key) && (
          <span id={`label-error-${key}`} className="field-error">
            {errors[key]}
          </span>
        )}
      </div>
    );
  }

  if (loaded && queue.length === 0) {
    return (
      <div className="label-view">
        <header className="view-head">
          <h1>{tr('label.title')}</h1>
        </header>
        {status && <Notice tone="success">{status}</Notice>}
        <ErrorBox message={error} />
        <div className="empty" data-testid="label-empty">
          <p>{tr('label.empty')}</p>
          <button type="button" className="primary" onClick={() => navigate('import')}>
            {tr('label.toImport')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="label-view" onKeyDown={onKeyDown}>
      <header className="view-head">
        <h1>{tr('label.title')}</h1>
        <p className="hint" data-testid="label-position">
          {current ? tr('label.position', { n: formatNumber(index + 1, locale), total: formatNumber(total, locale) }) : tr('label.loading')}
        </p>
      </header>
      <div className="label-grid">
        <aside className="queue" aria-label={tr('label.queue')}>
          <ol>
            {queue.map((doc, at) => (
              <li key={doc.id}>
                <button
                  type="button"
                  tabIndex={-1}
                  aria-current={at === index ? 'true' : undefined}
                  onClick={() => {
                    focusNipNext.current = true;
                    setIndex(at);
                  }}
                >
                  <span className="queue-name">{doc.originalName}</span>
                  <span className="muted">
                    #{doc.id} · {tr('import.pages', { count: doc.pageCount })}
                    {doc.review === 'rejected' && ` · ${tr('review.sentBackShort')}`}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </aside>

        <form
          className="label-form"
          data-testid="label-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          {detail && (
            <p className="doc-line">
              <strong>{detail.originalName}</strong>{' '}
              <span className="muted">
                #{detail.id} · {tr('import.pages', { count: detail.pageCount })} · {formatBytes(detail.size, locale)}
              </span>
            </p>
          )}
          {/* Verification (issue 7): why the verifier sent it back. */}
          {detail?.review === 'rejected' && (
            <p className="notice notice-warning" data-testid="label-sent-back">
              {tr('review.sentBack', { reason: detail.reviewReason ?? '' })}
            </p>
          )}
          <OcrProgress status={ocr} />
          {status && <Notice tone="success">{status}</Notice>}
          <ErrorBox message={error} />
          {form && (
            <>
              <div className="field">
                <label htmlFor="label-nip">{tr('doc.nip')}</label>
                <input
                  id="label-nip"
                  ref={register('nip')}
                  data-testid="label-nip"
                  className="mono"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={40}
                  value={form.nip}
                  aria-required
                  aria-invalid={shown('nip') ? true : undefined}
                  aria-describedby={describe('nip') ?? (employee.state !== 'idle' ? 'label-employee' : undefined)}
                  onChange={(event) => update({ nip: event.target.value })}
                  onBlur={() => touch('nip')}
                />
                <OcrProposal field="nip" value={proposalFor(ocr, 'nip', form.nip)} onAccept={(accepted) => update({ nip: accepted })} />
                {shown('nip') && (
                  <span id="label-error-nip" className="field-error">
                    {errors.nip}
                  </span>
                )}
                {!errors.nip && employee.state === 'found' && (
                  <span id="label-employee" className="field-note" data-testid="label-employee">
                    {employee.nama}
                    {employee.unitKerja && ` · ${employee.unitKerja}`}
                  </span>
                )}
                {!errors.nip && employee.state === 'missing' && (
                  <span id="label-employee" className="field-warning" role="status" data-testid="label-nip-unknown">
                    {tr('label.nipUnknown')}
                  </span>
                )}
              </div>
              <div className="field">
                <label htmlFor="label-type">{tr('label.type')}</label>
                <select
                  id="label-type"
                  ref={register('type')}
                  data-testid="label-type"
                  value={form.typeCode}
                  aria-required
                  aria-invalid={shown('type') ? true : undefined}
                  aria-describedby={describe('type')}
                  onChange={(event) => update({ typeCode: event.target.value })}
                  onBlur={() => touch('type')}
                >
                  <option value="">{tr('label.choose')}</option>
                  {(['utama', 'kondisional', 'pendukung'] as const).map((category) => (
                    <optgroup key={category} label={tr(`category.${category}`)}>
                      {reference.documentTypes
                        .filter((t) => t.category === category)
                        .map((t) => (
                          <option key={t.code} value={t.code}>
                            {pick(t.name, locale)}
                          </option>
                        ))}
                    </optgroup>
                  ))}
                </select>
                {shown('type') && (
                  <span id="label-error-type" className="field-error">
                    {errors.type}
                  </span>
                )}
              </div>
              {type?.fields.map((field) => renderField(field.key, field.required))}
              <div className="field">
                <label htmlFor="label-notes">{tr('label.notes')}</label>
                <input
                  id="label-notes"
                  ref={register('notes')}
                  data-testid="label-notes"
                  type="text"
                  maxLength={2000}
                  value={form.notes}
                  onChange={(event) => update({ notes: event.target.value })}
                />
              </div>
              <div className="form-actions">
                <button type="button" onClick={() => go(-1)} disabled={index === 0}>
                  {tr('label.prev')}
                </button>
                <button type="submit" className="primary" disabled={saving} data-testid="label-save">
                  {tr('label.save')}
                </button>
                <button type="button" onClick={() => go(1)} disabled={index >= total - 1}>
                  {tr('label.next')}
                </button>
              </div>
            </>
          )}
          <dl className="shortcuts" aria-label={tr('label.shortcuts')}>
            <div>
              <dt>
                <Keys keys={['Ctrl', 'Enter']} />
              </dt>
              <dd>{tr('label.keys.save')}</dd>
            </div>
            <div>
              <dt>
                <Keys keys={['Enter']} />
              </dt>
              <dd>{tr('label.keys.enter')}</dd>
            </div>
            <div>
              <dt>
                <Keys keys={['Alt', '←']} /> <Keys keys={['Alt', '→']} />
              </dt>
              <dd>{tr('label.keys.move')}</dd>
            </div>
            <div>
              <dt>
                <Keys keys={['PgUp']} /> <Keys keys={['PgDn']} />
              </dt>
              <dd>{tr('label.keys.move')}</dd>
            </div>
            <div>
              <dt>
                <Keys keys={['Alt', 'N']} />
              </dt>
              <dd>{tr('label.keys.nip')}</dd>
            </div>
            <div>
              <dt>
                <Keys keys={['Enter']} />
              </dt>
              <dd>{tr('label.keys.ocr')}</dd>
            </div>
          </dl>
        </form>

        <div className="preview" aria-label={tr('label.preview')}>
          {currentId !== null && <PdfView id={currentId} compact />}
        </div>
      </div>
    </div>
  );
}
