// One spreadsheet import card (CSV or XLSX): a pick button over a hidden file input, then
// the import's summary and every row it refused with its row number, NIP and reason. The
// employee list import and the history import ("Impor riwayat") are both this card.
import { useRef, useState, type ReactNode } from 'react';
import type { Result } from '../../../../common/errors';
import { useT } from '../../shared/i18n';
import { ErrorBox, Notice } from '../../shared/ui';

interface Refusals {
  rejected: readonly { row: number; nip: string | null; message: string }[];
}

export function SheetImport<R extends Refusals>(props: {
  /** Prefix of the card's ids and test ids: `${id}-file`, `${id}-pick`, `${id}-report`, `${id}-rejected`. */
  id: string;
  title: string;
  hint: string;
  pick: string;
  /** Controls shown before the pick button (the history kind). */
  children?: ReactNode;
  run: (file: File) => Promise<Result<R>>;
  summary: (report: R) => string;
  onImported: () => void;
}) {
  const { id } = props;
  const tr = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(file: File) {
    setBusy(true);
    setError(null);
    setReport(null);
    const result = await props.run(file);
    setBusy(false);
    if (result.ok) {
      setReport(result.value);
      props.onImported();
    } else setError(result.error.message);
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.title}</h2>
      <p className="hint">{props.hint}</p>
      {props.children}
      <button type="button" disabled={busy} onClick={() => inputRef.current?.click()} data-testid={`${id}-pick`}>
        {busy ? tr('employees.importing') : props.pick}
      </button>
      <input
        ref={inputRef}
        type="file"
        hidden
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid={`${id}-file`}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) void run(file);
        }}
      />
      <ErrorBox message={error} />
      {report && (
        <div data-testid={`${id}-report`}>
          <Notice tone={report.rejected.length > 0 ? 'warning' : 'success'}>{props.summary(report)}</Notice>
          {report.rejected.length > 0 && (
            <table className="table" data-testid={`${id}-rejected`}>
              <caption>{tr('employees.rejected', { count: report.rejected.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr('employees.row')}</th>
                  <th scope="col">{tr('doc.nip')}</th>
                  <th scope="col">{tr('employees.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.rejected.map((row, index) => (
                  <tr key={`${row.row}-${index}`}>
                    <td>{row.row}</td>
                    <td className="mono">{row.nip ?? '—'}</td>
                    <td>{row.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
