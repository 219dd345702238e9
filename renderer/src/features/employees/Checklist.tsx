// The employee's completeness checklist beside their folder: each archive the rules expect
// (resources/completeness.json), held, missing or rejected, and the skor arsip.
import { useEffect, useState } from 'react';
import type { EmployeeCompleteness } from '../../../../common/completeness';
import { pick } from '../../../../common/i18n';
import { useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox } from '../../shared/ui';

export function Checklist({ nip }: { nip: string }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [result, setResult] = useState<EmployeeCompleteness | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void host.call('completeness.employee', { nip }).then((answer) => {
      if (cancelled) return;
      if (answer.ok) {
        setResult(answer.value);
        setError(null);
      } else setError(answer.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [host, nip]);

  if (error) return <ErrorBox message={error} />;
  if (!result) return null;
  const score = result.score.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US', { maximumFractionDigits: 1 });
  return (
    <section className="card checklist" aria-labelledby="checklist-title" data-testid="employee-checklist">
      <h3 id="checklist-title">{tr('completeness.checklist')}</h3>
      <p data-testid="checklist-score">
        <strong>{tr('completeness.scoreOf', { score })}</strong>
        {result.lengkap && <> · {tr('completeness.lengkap')}</>}
      </p>
      <ul className="checklist-items">
        {result.items.map((item) => (
          <li key={item.key} data-testid={`checklist-${item.key}`} data-status={item.status} className={`checklist-${item.status}`}>
            <span>{pick(item.label, locale)}</span>{' '}
            <span className="muted">
              {tr(`completeness.status.${item.status}`)}
              {item.expected > 1 && ` (${tr('completeness.heldOf', { held: Math.min(item.held, item.expected), expected: item.expected })})`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
