// Kelengkapan: how complete the office's personnel files are (average skor arsip, share
// Lengkap, per unit kerja, the employees with most gaps) and the work queue of folders to
// pull next, ordered by what raises the score most. Everything is computed in main
// (main/core/completeness); the view asks again when it is shown or documents change.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompletenessSummary, QueueItem } from '../../../../common/completeness';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox } from '../../shared/ui';
// Exports and daily progress (issue 7).
import { CompletenessExports } from './CompletenessExports';
import { CompletenessProgress } from './CompletenessProgress';
// The employee checklist, with history records under its items (issue 7).
import { Checklist } from '../employees/Checklist';

const PAGE = 50;

function formatScore(score: number, locale: 'id' | 'en'): string {
  return score.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function QueueTable({ items, testId, onOpen }: { items: QueueItem[]; testId: string; onOpen?: (nip: string) => void }) {
  const tr = useT();
  const locale = useLocale();
  return (
    <table className="table table-rows" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{tr('doc.nip')}</th>
          <th scope="col">{tr('doc.nama')}</th>
          <th scope="col">{tr('completeness.unit')}</th>
          <th scope="col">{tr('completeness.score')}</th>
          <th scope="col">{tr('completeness.gain')}</th>
          <th scope="col">{tr('completeness.gaps')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.nip} data-testid={`${testId}-row`}>
            <td className="mono">
              {onOpen ? (
                <button type="button" className="link" onClick={() => onOpen(item.nip)}>
                  {item.nip}
                </button>
              ) : (
                item.nip
              )}
            </td>
            <td>{item.nama}</td>
            <td>{item.unitKerja ?? tr('completeness.noUnit')}</td>
            <td>{formatScore(item.score, locale)}</td>
            <td>+{formatScore(item.gain, locale)}</td>
            <td>{item.gaps.map((gap) => gap.replaceAll('_', ' ')).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CompletenessView({ active }: { active: boolean }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [unitKerja, setUnitKerja] = useState<string>('');
  const [units, setUnits] = useState<string[]>([]);
  const [summary, setSummary] = useState<CompletenessSummary | null>(null);
  const [queue, setQueue] = useState<QueueItem[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // Employee history (issue 7): the checklist of the employee picked in a table, with the records behind each item.
  const [checklistNip, setChecklistNip] = useState<string | null>(null);
  const generation = useRef(0);

  const load = useCallback(
    async (offset: number) => {
      const mine = offset === 0 ? ++generation.current : generation.current;
      const scope = unitKerja === '' ? {} : { unitKerja };
      const [summaryResult, queueResult] = await Promise.all([
        offset === 0 ? host.call('completeness.summary', scope) : Promise.resolve(null),
        host.call('completeness.queue', { ...scope, limit: PAGE, offset }),
      ]);
      if (mine !== generation.current) return;
      const failed = [summaryResult, queueResult].find((result) => result && !result.ok);
      if (failed && !failed.ok) {
        setError(failed.error.message);
        return;
      }
      setError(null);
      if (summaryResult?.ok) {
        setSummary(summaryResult.value);
        if (unitKerja === '') setUnits(summaryResult.value.units.flatMap((unit) => (unit.unitKerja === null ? [] : [unit.unitKerja])).sort((a, b) => a.localeCompare(b)));
      }
      if (queueResult.ok) {
        setTotal(queueResult.value.total);
        setQueue((current) => (offset === 0 ? queueResult.value.items : [...current, ...queueResult.value.items]));
      }
    },
    [host, unitKerja],
  );

  useEffect(() => {
    if (active) void load(0);
  }, [active, load]);

  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = host.on((name, _payload) => {
      if (name !== 'documents.onDidChange') return;
      // A batch import changes documents one by one, and the office figures read every
      // document: wait for a quiet moment.
      clearTimeout(timer);
      timer = setTimeout(() => void load(0), 1000);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [host, active, load]);

  const percent = (share: number) => share.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US', { style: 'percent', maximumFractionDigits: 1 });

  return (
    <div className="completeness-view" data-testid="completeness-view">
      <header className="view-head">
        <h1>{tr('completeness.title')}</h1>
        <label>
          {tr('completeness.scope')}{' '}
          <select value={unitKerja} onChange={(event) => setUnitKerja(event.target.value)} data-testid="completeness-unit">
            <option value="">{tr('completeness.office')}</option>
            {units.map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </label>
      </header>
      <ErrorBox message={error} />
      {/* Exports of the chosen scope (issue 7). */}
      <CompletenessExports unitKerja={unitKerja} />
      {summary === null && error === null && <p className="hint">{tr('completeness.loading')}</p>}
      {summary && (
        <section className="card" aria-labelledby="completeness-summary-title">
          <h2 id="completeness-summary-title">{unitKerja === '' ? tr('completeness.office') : unitKerja}</h2>
          <dl className="facts" data-testid="completeness-total">
            <div>
              <dt>{tr('completeness.average')}</dt>
              <dd data-testid="completeness-average">{formatScore(summary.total.averageScore, locale)}</dd>
            </div>
            <div>
              <dt>{tr('completeness.lengkap')}</dt>
              <dd data-testid="completeness-lengkap">
                {tr('completeness.lengkapOf', {
                  lengkap: formatNumber(summary.total.lengkap, locale),
                  employees: formatNumber(summary.total.employees, locale),
                  share: percent(summary.total.lengkapShare),
                })}
              </dd>
            </div>
          </dl>
          {unitKerja === '' && summary.units.length > 0 && (
            <table className="table" data-testid="completeness-units">
              <caption>{tr('completeness.units')}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr('completeness.unit')}</th>
                  <th scope="col">{tr('completeness.employees')}</th>
                  <th scope="col">{tr('completeness.average')}</th>
                  <th scope="col">{tr('completeness.lengkap')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.units.map((unit) => (
                  <tr key={unit.unitKerja ?? ''}>
                    <td>{unit.unitKerja ?? tr('completeness.noUnit')}</td>
                    <td>{formatNumber(unit.employees, locale)}</td>
                    <td>{formatScore(unit.averageScore, locale)}</td>
                    <td>{percent(unit.lengkapShare)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {summary.mostGaps.length > 0 && (
            <>
              <h3>{tr('completeness.mostGaps')}</h3>
              <QueueTable items={summary.mostGaps} testId="completeness-most-gaps" onOpen={setChecklistNip} />
            </>
          )}
        </section>
      )}
      {checklistNip !== null && (
        <div data-testid="completeness-checklist">
          <button type="button" onClick={() => setChecklistNip(null)}>
            {tr('history.closeChecklist')}
          </button>
          <Checklist key={`${checklistNip}-${summary?.total.averageScore ?? ''}`} nip={checklistNip} />
        </div>
      )}
      {/* Daily progress of the office or the unit chosen (issue 7), asked again with the figures above. */}
      <CompletenessProgress active={active} version={summary} unitKerja={unitKerja === '' ? undefined : unitKerja} />
      <section className="card" aria-labelledby="completeness-queue-title">
        <h2 id="completeness-queue-title">{tr('completeness.queue')}</h2>
        <p className="hint">{tr('completeness.queueHint')}</p>
        <p className="hint" data-testid="completeness-queue-count">
          {total === 0 && summary ? tr('completeness.empty') : tr('completeness.queueCount', { count: formatNumber(total, locale) })}
        </p>
        {queue.length > 0 && <QueueTable items={queue} testId="completeness-queue" onOpen={setChecklistNip} />}
        {queue.length < total && (
          <button type="button" onClick={() => void load(queue.length)}>
            {tr('completeness.more')}
          </button>
        )}
      </section>
    </div>
  );
}
