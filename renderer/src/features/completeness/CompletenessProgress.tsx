// The daily progress chart of the Kelengkapan view: the office's (or the chosen unit's)
// average score and share Lengkap per day (completeness.progress, one snapshot a day) as a small hand-drawn SVG,
// both on a 0-100 scale, with the same figures as a table for screen readers and for
// reading exact values. Asked again whenever the view's figures are.
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../common/contract';
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox } from '../../shared/ui';

type Day = MethodOutput<'completeness.progress'>['days'][number];

const DAYS = 30;
const WIDTH = 600;
const HEIGHT = 180;
const PAD = { left: 34, right: 12, top: 10, bottom: 24 };
const DAY_MS = 24 * 60 * 60 * 1000;
const SCORE_COLOR = '#1f5fbf';
const LENGKAP_COLOR = '#2e7d32';

function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function Chart({ days, label }: { days: Day[]; label: string }) {
  const first = dayNumber(days[0].day);
  const span = Math.max(1, dayNumber(days.at(-1)!.day) - first);
  // Spaced by date, not by index: a day nobody opened the view leaves a visible gap.
  const x = (day: string) => PAD.left + ((dayNumber(day) - first) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / 100) * (HEIGHT - PAD.top - PAD.bottom);
  const line = (value: (day: Day) => number) => days.map((day) => `${x(day.day).toFixed(1)},${y(value(day)).toFixed(1)}`).join(' ');
  const series = [
    { key: 'score', color: SCORE_COLOR, value: (day: Day) => day.averageScore, dash: undefined },
    { key: 'lengkap', color: LENGKAP_COLOR, value: (day: Day) => day.lengkapShare * 100, dash: '5 3' },
  ];
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" style={{ maxWidth: WIDTH }} role="img" aria-label={label} data-testid="completeness-progress-chart">
      {[0, 50, 100].map((tick) => (
        <g key={tick}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#d5d9e0" strokeWidth={1} />
          <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fontSize={11} fill="#5c6577">
            {tick}
          </text>
        </g>
      ))}
      <text x={PAD.left} y={HEIGHT - 6} fontSize={11} fill="#5c6577">
        {days[0].day}
      </text>
      <text x={WIDTH - PAD.right} y={HEIGHT - 6} fontSize={11} fill="#5c6577" textAnchor="end">
        {days.at(-1)!.day}
      </text>
      {series.map((s) => (
        <g key={s.key} data-series={s.key}>
          <polyline points={line(s.value)} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dash} />
          {days.map((day) => (
            <circle key={day.day} cx={x(day.day)} cy={y(s.value(day))} r={3.5} fill={s.color} data-testid={`completeness-progress-point-${s.key}`} data-day={day.day}>
              <title>{`${day.day}: ${s.value(day).toFixed(1)}`}</title>
            </circle>
          ))}
        </g>
      ))}
    </svg>
  );
}

export function CompletenessProgress({ active, version, unitKerja }: { active: boolean; version: unknown; unitKerja?: string }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const [days, setDays] = useState<Day[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    let current = true;
    void host.call('completeness.progress', unitKerja === undefined ? { days: DAYS } : { days: DAYS, unitKerja }).then((result) => {
      if (!current) return;
      setError(result.ok ? null : result.error.message);
      if (result.ok) setDays(result.value.days);
    });
    return () => {
      current = false;
    };
  }, [host, active, version, unitKerja]);

  const number = (value: number) => value.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return (
    <section className="card" aria-labelledby="completeness-progress-title" data-testid="completeness-progress">
      <h2 id="completeness-progress-title">{tr('completeness.progress')}</h2>
      <p className="hint">{tr('completeness.progressHint')}</p>
      <ErrorBox message={error} />
      {days && days.length > 1 && (
        <>
          <Chart days={days} label={tr('completeness.progressChart', { days: formatNumber(days.length, locale), from: number(days[0].averageScore), to: number(days.at(-1)!.averageScore) })} />
          <p className="hint">
            <span style={{ color: SCORE_COLOR }}>━ {tr('completeness.average')}</span> · <span style={{ color: LENGKAP_COLOR }}>╍ {tr('completeness.lengkapShare')}</span>
          </p>
        </>
      )}
      {days && days.length <= 1 && <p className="hint">{tr('completeness.progressFew')}</p>}
      {days && days.length > 0 && (
        <details>
          <summary>{tr('completeness.progressTable')}</summary>
          <table className="table" data-testid="completeness-progress-table">
            <caption className="visually-hidden">{tr('completeness.progressTable')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('completeness.day')}</th>
                <th scope="col">{tr('completeness.average')}</th>
                <th scope="col">{tr('completeness.lengkapShare')}</th>
                <th scope="col">{tr('completeness.employees')}</th>
              </tr>
            </thead>
            <tbody>
              {[...days].reverse().map((day) => (
                <tr key={day.day}>
                  <th scope="row">{day.day}</th>
                  <td>{number(day.averageScore)}</td>
                  <td>{number(day.lengkapShare * 100)}</td>
                  <td>{formatNumber(day.employees, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
