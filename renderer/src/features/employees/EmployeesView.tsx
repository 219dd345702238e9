// Employees: importing the agency's list (CSV or XLSX, as SIASN exports it) and the SIASN
// history exports, with a report of what changed and every row refused and why; finding an
// employee; and the employee's folder: every document held, grouped by type, in date order.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentSummary, Employee } from '../../../../common/contract';
import { pick } from '../../../../common/i18n';
import { useDebounced } from '../../shared/hooks';
import { formatDate, formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, StateBadge, Thumbnail } from '../../shared/ui';
import { Checklist } from './Checklist';
import { ImportHistory } from './ImportHistory';
import { SheetImport } from './SheetImport';

const PAGE = 100;

function ImportEmployees({ onImported }: { onImported: () => void }) {
  const { host } = useServices();
  const tr = useT();
  return (
    <SheetImport
      id="employees"
      title={tr('employees.import')}
      hint={tr('employees.importHint')}
      pick={tr('employees.pick')}
      onImported={onImported}
      run={(file) => host.importEmployees(file)}
      summary={(report) => tr('employees.summary', { inserted: report.inserted, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected.length })}
    />
  );
}

function Folder({ nip, onBack }: { nip: string; onBack: () => void }) {
  const { host, reference, openDocument } = useServices();
  const tr = useT();
  const locale = useLocale();
  const backRef = useRef<HTMLButtonElement>(null);
  const [employee, setEmployee] = useState<Employee | null>(null);
  const [documents, setDocuments] = useState<DocumentSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void host.call('employees.get', { nip }).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        setEmployee(result.value.employee);
        setDocuments(result.value.documents);
      } else setError(result.error.message);
    });
    backRef.current?.focus();
    return () => {
      cancelled = true;
    };
  }, [host, nip]);

  // Groups in the reference data's order (the order of a personnel file); untyped last.
  const groups: { code: string | null; title: string; docs: DocumentSummary[] }[] = [];
  for (const type of reference.documentTypes) {
    const docs = documents.filter((doc) => doc.typeCode === type.code);
    if (docs.length > 0) groups.push({ code: type.code, title: pick(type.name, locale), docs });
  }
  const known = new Set(reference.documentTypes.map((type) => type.code));
  const other = documents.filter((doc) => !doc.typeCode || !known.has(doc.typeCode));
  if (other.length > 0) groups.push({ code: null, title: tr('doc.untyped'), docs: other });
  // Dated documents in date order; undated ones after them, in the order they came in.
  for (const group of groups) group.docs.sort((a, b) => (a.tanggal ?? '9999').localeCompare(b.tanggal ?? '9999') || a.id - b.id);

  return (
    <div className="folder" data-testid="employee-folder">
      <button ref={backRef} type="button" onClick={onBack}>
        {tr('employees.back')}
      </button>
      <ErrorBox message={error} />
      {employee && (
        <header className="folder-head">
          <h2>{employee.nama}</h2>
          <dl className="facts">
            <div>
              <dt>{tr('doc.nip')}</dt>
              <dd className="mono">{employee.nip}</dd>
            </div>
            <div>
              <dt>{tr('employees.kind')}</dt>
              <dd>{employee.kind === 'pppk' ? 'PPPK' : 'PNS'}</dd>
            </div>
            {employee.golongan && (
              <div>
                <dt>{tr('employees.golongan')}</dt>
                <dd>{employee.golongan}</dd>
              </div>
            )}
            {employee.jabatan && (
              <div>
                <dt>{tr('employees.jabatan')}</dt>
                <dd>{employee.jabatan}</dd>
              </div>
            )}
            {employee.unitKerja && (
              <div>
                <dt>{tr('employees.unit')}</dt>
                <dd>{employee.unitKerja}</dd>
              </div>
            )}
            {employee.kedudukanHukum && (
              <div>
                <dt>{tr('employees.kedudukan')}</dt>
                <dd>{reference.kedudukanHukum.find((k) => k.code === employee.kedudukanHukum)?.name ?? employee.kedudukanHukum}</dd>
              </div>
            )}
          </dl>
        </header>
      )}
      {employee && <Checklist nip={employee.nip} />}
      {employee && documents.length === 0 && <p className="empty">{tr('employees.noDocuments')}</p>}
      {groups.map((group) => (
        <section key={group.code ?? 'other'} className="folder-group">
          <h3>
            {group.title} <span className="muted">({group.docs.length})</span>
          </h3>
          <ul>
            {group.docs.map((doc) => (
              <li key={doc.id}>
                <button type="button" className="folder-doc" onClick={() => openDocument(doc.id)} data-testid="folder-doc">
                  <Thumbnail id={doc.id} />
                  <span className="folder-doc-text">
                    <strong>{doc.nomor ?? doc.originalName}</strong>
                    <span className="muted">
                      {formatDate(doc.tanggal, locale) || tr('doc.undated')} · {tr('import.pages', { count: doc.pageCount })}
                    </span>
                  </span>
                  <StateBadge state={doc.state} />
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export function EmployeesView({ active }: { active: boolean }) {
  const { host } = useServices();
  const tr = useT();
  const locale = useLocale();
  const searchRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [items, setItems] = useState<Employee[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const settled = useDebounced(text, 150);
  const generation = useRef(0);

  const load = useCallback(
    async (offset: number) => {
      const mine = offset === 0 ? ++generation.current : generation.current;
      const result = await host.call('employees.search', { text: settled, limit: PAGE, offset });
      if (mine !== generation.current) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setTotal(result.value.total);
      setItems((current) => (offset === 0 ? result.value.items : [...current, ...result.value.items]));
    },
    [host, settled],
  );

  useEffect(() => {
    if (active) void load(0);
  }, [active, load]);

  useEffect(() => {
    if (active && open === null) searchRef.current?.focus();
  }, [active, open]);

  if (open !== null) return <Folder nip={open} onBack={() => setOpen(null)} />;

  return (
    <div className="employees-view">
      <header className="view-head">
        <h1>{tr('employees.title')}</h1>
      </header>
      <ImportEmployees onImported={() => void load(0)} />
      <ImportHistory onImported={() => void load(0)} />
      <section className="card" aria-labelledby="employees-search-title">
        <h2 id="employees-search-title">{tr('employees.search')}</h2>
        <input
          ref={searchRef}
          type="search"
          className="wide"
          placeholder={tr('employees.searchPlaceholder')}
          aria-label={tr('employees.search')}
          value={text}
          maxLength={200}
          data-testid="employees-search"
          onChange={(event) => setText(event.target.value)}
        />
        <p className="hint">{tr('employees.count', { count: formatNumber(total, locale) })}</p>
        <ErrorBox message={error} />
        {items.length > 0 && (
          <table className="table table-rows" data-testid="employees-list">
            <thead>
              <tr>
                <th scope="col">{tr('doc.nip')}</th>
                <th scope="col">{tr('doc.nama')}</th>
                <th scope="col">{tr('employees.golongan')}</th>
                <th scope="col">{tr('employees.unit')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((employee) => (
                <tr key={employee.nip}>
                  <td className="mono">
                    <button type="button" className="link" onClick={() => setOpen(employee.nip)}>
                      {employee.nip}
                    </button>
                  </td>
                  <td>{employee.nama}</td>
                  <td>{employee.golongan ?? ''}</td>
                  <td>{employee.unitKerja ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {items.length < total && (
          <button type="button" onClick={() => void load(items.length)}>
            {tr('employees.more')}
          </button>
        )}
      </section>
    </div>
  );
}
