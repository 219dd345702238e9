// The employee's completeness checklist beside their folder: each archive the rules expect
// (resources/completeness.json), held, missing or rejected, and the skor arsip; under an
// item counted from the employee's history, its records and which a held document matches.
import { useEffect, useState } from 'react';
import type { EmployeeCompleteness } from '../../../../common/completeness';
import { pick } from '../../../../common/i18n';
import { useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox } from '../../shared/ui';
import { missingSheetCount, usePrintSeparators } from './Separators';

export function Checklist({ nip }: { nip: string }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [result, setResult] = useState<EmployeeCompleteness | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Down-sync (issue 5): document types the central server already holds for this employee ("sudah di DMS").
  const [onServer, setOnServer] = useState<ReadonlySet<string>>(new Set());
  const separators = usePrintSeparators(nip);

  useEffect(() => {
    let cancelled = false;
    void host.call('completeness.employee', { nip }).then((answer) => {
      if (cancelled) return;
      if (answer.ok) {
        setResult(answer.value);
        setError(null);
      } else setError(answer.error.message);
    });
    void host.call('documents.onServer', { nip }).then((answer) => {
      if (!cancelled && answer.ok) setOnServer(new Set(answer.value.items.map((item) => item.typeCode)));
    });
    return () => {
      cancelled = true;
    };
  }, [host, nip]);

  if (error) return <ErrorBox message={error} />;
  if (!result) return null;
  const sheets = missingSheetCount(result.items);
  const score = result.score.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US', { maximumFractionDigits: 1 });
  return (
    <section className="card checklist" aria-labelledby="checklist-title" data-testid="employee-checklist">
      <h3 id="checklist-title">{tr('completeness.checklist')}</h3>
      <p data-testid="checklist-score">
        <strong>{tr('completeness.scoreOf', { score })}</strong>
        {result.lengkap && <> · {tr('completeness.lengkap')}</>}
      </p>
      {sheets > 0 && (
        <button type="button" disabled={separators.busy !== null} onClick={() => void separators.print('missing')} data-testid="separators-print-missing">
          {separators.busy === 'missing' ? tr('separators.printing') : tr('separators.printMissing', { count: sheets })}
        </button>
      )}
      {separators.status}
      <ul className="checklist-items">
        {result.items.map((item) => (
          <li key={item.key} data-testid={`checklist-${item.key}`} data-status={item.status} className={`checklist-${item.status}`}>
            <span>{pick(item.label, locale)}</span>{' '}
            <span className="muted">
              {tr(`completeness.status.${item.status}`)}
              {item.expected > 1 && ` (${tr('completeness.heldOf', { held: Math.min(item.held, item.expected), expected: item.expected })})`}
            </span>
            {item.types.some((type) => onServer.has(type)) && (
              <span className="badge" data-testid={`on-server-${item.key}`}>
                {' '}
                {tr('employees.onServer')}
              </span>
            )}
            {/* Employee history (issue 7): the records behind the expectation, and which a held document matches. */}
            {item.basis === 'fallback' && (item.status === 'missing' || item.status === 'rejected') && <span className="muted"> · {tr('history.fallback')}</span>}
            {(item.status === 'missing' || item.status === 'rejected') && (
              <>
                {' '}
                <button
                  type="button"
                  className="link"
                  disabled={separators.busy !== null}
                  onClick={() => void separators.print(item.key)}
                  data-testid={`separators-print-${item.key}`}
                >
                  {tr('separators.printOne')}
                </button>
              </>
            )}
            {item.records.length > 0 && (
              <ul className="checklist-records" aria-label={tr('history.records')} data-testid={`checklist-records-${item.key}`}>
                {item.records.map((record, index) => (
                  <li key={`${record.label}-${index}`} data-matched={record.matchedBy ?? 'none'}>
                    {record.label}
                    {record.nomorSk && (
                      <>
                        {' · '}
                        <span className="mono">{record.nomorSk}</span>
                      </>
                    )}
                    {' — '}
                    <span className="muted">{record.matchedBy ? tr('history.matched') : tr('history.unmatched')}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
