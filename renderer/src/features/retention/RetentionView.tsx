// Penyusutan: where the office's personnel files stand in their retention (active,
// inactive, due for Musnah or Statis, held, disposed), the disposal workflow (Daftar Arsip
// Usul Musnah -> recommendation -> approval -> destruction with its Berita Acara, or the
// hand-over list of statis archives), legal holds, the JRA in force, and the Berita Acara
// Alih Media of a digitized batch. main decides everything (main/core/retention) and
// refuses what a role may not do; the view only hides what the role cannot use. Every
// action is a plain form or button, so the whole flow runs from the keyboard.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { EXPORT_FORMATS, type ExportFormat, type MethodOutput, type Role } from '../../../../common/contract';
import { pick } from '../../../../common/i18n';
import { parseNipList } from '../../../../common/nip';
import { DISPOSITIONS, PHASES, PROPOSAL_STATES, type Disposition, type Proposal, type ProposalState, type RetentionOverview } from '../../../../common/retention';
import { saveExported } from '../../shared/download';
import { formatDate, formatNumber, useLocale, useT } from '../../shared/i18n';
import { useServices } from '../../shared/services';
import { ErrorBox, Notice } from '../../shared/ui';

type Schedule = MethodOutput<'retention.schedule'>;

function Card({ id, title, testId, children }: { id: string; title: string; testId?: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Head({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) => (
          <th key={index} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export function RetentionView({ active, role }: { active: boolean; role: Role }) {
  const { host, reference, info } = useServices();
  const tr = useT();
  const locale = useLocale();
  const admin = role === 'admin';
  const [overview, setOverview] = useState<RetentionOverview | null>(null);
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [stateFilter, setStateFilter] = useState<ProposalState | ''>('');
  const [detail, setDetail] = useState<MethodOutput<'retention.proposal'> | null>(null);
  const [note, setNote] = useState('');
  // Prefilled from Settings; a Berita Acara may still name another place or office.
  const [agency, setAgency] = useState(info.settings.agencyName ?? '');
  const [place, setPlace] = useState(info.settings.agencyCity ?? '');
  const [status, setStatus] = useState({ nip: '', kedudukanHukum: '67', date: '' });
  const [hold, setHold] = useState({ nip: '', reason: '' });
  const [range, setRange] = useState({ from: '', to: '' });
  // The batch's folders as typed (common/nip.ts parseNipList); empty = every folder.
  const [batchNips, setBatchNips] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const [overviewResult, scheduleResult] = await Promise.all([host.call('retention.overview', {}), host.call('retention.schedule', {})]);
    if (!overviewResult.ok) return setError(overviewResult.error.message);
    if (!scheduleResult.ok) return setError(scheduleResult.error.message);
    setOverview(overviewResult.value);
    setSchedule(scheduleResult.value);
  }, [host]);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  useEffect(() => {
    if (selected === null) return setDetail(null);
    void host.call('retention.proposal', { id: selected }).then((result) => (result.ok ? setDetail(result.value) : setError(result.error.message)));
  }, [host, selected, overview]);

  /** Runs one action; on success shows `done`, reloads, and returns the value. */
  async function run<T>(action: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>, done: (value: T) => string): Promise<T | null> {
    setBusy(true);
    setNotice(null);
    try {
      const result = await action();
      if (!result.ok) {
        setError(result.error.message);
        return null;
      }
      setError(null);
      setNotice(done(result.value));
      await load();
      return result.value;
    } finally {
      setBusy(false);
    }
  }

  const submit = (handler: () => Promise<unknown>) => (event: FormEvent) => {
    event.preventDefault();
    void handler();
  };

  const propose = (kind: 'musnah' | 'permanen') =>
    void run(
      () => host.call('retention.propose', { kind }),
      (value) => {
        setSelected(value.id);
        return tr('retention.proposed', { number: value.number, count: value.items.length });
      },
    );

  const download = async (id: number) => {
    const result = await host.call('retention.report', { id });
    if (result.ok) saveExported(result.value);
    else setError(result.error.message);
  };

  /** The proposal's list to check and sign (PDF) or to work on (XLSX, CSV). */
  const exportList = async (id: number, format: ExportFormat) => {
    const result = await host.call('retention.exportProposal', { id, format });
    if (result.ok) saveExported(result.value);
    else setError(result.error.message);
  };

  const proposal: Proposal | undefined = overview?.proposals.find((item) => item.id === selected);
  const shownProposals = overview?.proposals.filter((item) => stateFilter === '' || item.state === stateFilter) ?? [];
  /** What a row says beyond its state: for a ditolak proposal, who rejected it, when and why. */
  const remarkOf = (item: Proposal) => (item.rejected ? tr('retention.rejectedBy', { by: item.rejected.by, at: formatDate(item.rejected.at, locale), reason: item.rejected.note }) : '');
  const kedudukan = reference.kedudukanHukum;
  const typeName = (code: string) => {
    const type = reference.documentTypes.find((item) => item.code === code);
    return type ? pick(type.name, locale) : code;
  };

  return (
    <div className="view-body" data-testid="retention-view">
      <header className="view-header">
        <h1>{tr('retention.title')}</h1>
      </header>
      {overview && !overview.confirmed && <Notice tone="warning">{tr('retention.defaults', { regulation: overview.regulation })}</Notice>}
      <ErrorBox message={error} />
      {notice && <Notice tone="success">{notice}</Notice>}

      {overview && (
        <Card id="retention-phases-title" title={tr('retention.phases')}>
          <dl className="stats" data-testid="retention-phases">
            {PHASES.map((phase) => (
              <div key={phase} data-testid={`retention-phase-${phase}`}>
                <dt>{tr(`retention.phase.${phase}`)}</dt>
                <dd>{formatNumber(overview.phases[phase] ?? 0, locale)}</dd>
              </div>
            ))}
          </dl>
          {admin && (
            <div className="actions">
              <button type="button" onClick={() => propose('musnah')} disabled={busy} data-testid="retention-propose-musnah">
                {tr('retention.proposeMusnah')}
              </button>
              <button type="button" onClick={() => propose('permanen')} disabled={busy} data-testid="retention-propose-statis">
                {tr('retention.proposeStatis')}
              </button>
            </div>
          )}
        </Card>
      )}

      {overview && (
        <Card id="retention-proposals-title" title={tr('retention.proposals')}>
          {overview.proposals.length > 0 && (
            <div className="form-row">
              <Field label={tr('retention.stateFilter')}>
                <select value={stateFilter} onChange={(event) => setStateFilter(event.target.value as ProposalState | '')} data-testid="retention-proposal-filter">
                  <option value="">{tr('retention.allStates')}</option>
                  {PROPOSAL_STATES.map((state) => (
                    <option key={state} value={state}>
                      {tr(`retention.state.${state}`)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          )}
          {overview.proposals.length === 0 ? (
            <p className="hint">{tr('retention.noProposals')}</p>
          ) : stateFilter !== '' && shownProposals.length === 0 ? (
            <p className="hint">{tr('retention.noProposalsInState', { state: tr(`retention.state.${stateFilter}`) })}</p>
          ) : (
            <table className="table table-rows" data-testid="retention-proposals">
              <Head columns={[tr('retention.number'), tr('retention.kind'), tr('retention.state'), tr('retention.items'), tr('retention.remarks'), tr('retention.report')]} />
              <tbody>
                {shownProposals.map((item) => (
                  <tr key={item.id} data-testid="retention-proposal-row" aria-selected={item.id === selected}>
                    <td>
                      <button type="button" className="link" onClick={() => setSelected(item.id)}>
                        {item.number}
                      </button>
                    </td>
                    <td>{tr(item.kind === 'musnah' ? 'retention.kind.musnah' : 'retention.kind.permanen')}</td>
                    <td data-testid="retention-proposal-state">{tr(`retention.state.${item.state}`)}</td>
                    <td>{formatNumber(item.itemCount, locale)}</td>
                    <td data-testid="retention-proposal-remark">{remarkOf(item)}</td>
                    <td>
                      {item.reportId !== null && (
                        <button type="button" onClick={() => void download(item.reportId!)} data-testid="retention-proposal-download">
                          {tr('retention.download')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}

      {proposal && detail && detail.id === proposal.id && (
        <Card id="retention-detail-title" title={tr(proposal.kind === 'musnah' ? 'retention.detailMusnah' : 'retention.detailStatis', { number: proposal.number })} testId="retention-detail">
          <table className="table">
            <Head columns={['NIP', tr('retention.nama'), tr('retention.type'), tr('retention.nomor'), tr('retention.dueOn')]} />
            <tbody>
              {detail.items.map((item) => (
                <tr key={item.documentId}>
                  <td className="mono">{item.nip}</td>
                  <td>{item.nama}</td>
                  <td>{typeName(item.typeCode)}</td>
                  <td>{item.nomor ?? ''}</td>
                  <td>{formatDate(item.dueOn, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions" role="group" aria-label={tr('retention.exportListLabel')}>
            {EXPORT_FORMATS.map((format) => (
              <button key={format} type="button" disabled={busy} onClick={() => void exportList(proposal.id, format)} data-testid={`retention-export-${format}`}>
                {tr('retention.exportList', { format: format.toUpperCase() })}
              </button>
            ))}
          </div>
          {proposal.rejected && (
            <p className="hint" data-testid="retention-detail-rejected">
              {remarkOf(proposal)}
            </p>
          )}
          {(['usul', 'direkomendasikan', 'disetujui'] as const).includes(proposal.state as 'usul') && (
            <form className="form-row" onSubmit={(event) => event.preventDefault()}>
              <Field label={tr('retention.note')}>
                <input value={note} onChange={(event) => setNote(event.target.value)} maxLength={1000} data-testid="retention-note" />
              </Field>
              {proposal.state === 'usul' && (
                <button
                  type="button"
                  disabled={busy || note.trim() === ''}
                  data-testid="retention-recommend"
                  onClick={() => void run(() => host.call('retention.recommend', { id: proposal.id, note }), (value) => tr('retention.recommendedDone', { number: value.number }))}
                >
                  {tr('retention.recommend')}
                </button>
              )}
              {admin && proposal.state !== 'disetujui' && (
                <button
                  type="button"
                  disabled={busy}
                  data-testid="retention-approve"
                  onClick={() => void run(() => host.call('retention.approve', { id: proposal.id, note }), (value) => tr('retention.approvedDone', { number: value.number }))}
                >
                  {tr('retention.approve')}
                </button>
              )}
              {/* Retention edges (issue 7): the admin rejects or withdraws the proposal; the note is the reason. */}
              {admin && (
                <button
                  type="button"
                  className="danger"
                  disabled={busy || note.trim() === ''}
                  data-testid="retention-reject"
                  onClick={() =>
                    void run(
                      async () => {
                        const result = await host.call('retention.reject', { id: proposal.id, reason: note });
                        if (result.ok) setSelected(null);
                        return result;
                      },
                      (value) => tr('retention.rejectedDone', { number: value.number, count: value.documents }),
                    )
                  }
                >
                  {tr('retention.reject')}
                </button>
              )}
            </form>
          )}
          {admin && proposal.state === 'disetujui' && (
            <form
              className="form-row"
              data-testid="retention-execute"
              onSubmit={submit(() =>
                run(
                  () => host.call(proposal.kind === 'musnah' ? 'retention.destroy' : 'retention.handOver', { id: proposal.id, agency, place, note }),
                  (value) => tr(proposal.kind === 'musnah' ? 'retention.destroyedDone' : 'retention.handedOverDone', { count: value.proposal.items.length, number: value.report.number }),
                ),
              )}
            >
              <p className="hint">{tr(proposal.kind === 'musnah' ? 'retention.destroyHint' : 'retention.handOverHint')}</p>
              <Field label={tr('retention.agency')}>
                <input value={agency} onChange={(event) => setAgency(event.target.value)} required maxLength={200} data-testid="retention-agency" />
              </Field>
              <Field label={tr('retention.place')}>
                <input value={place} onChange={(event) => setPlace(event.target.value)} required maxLength={100} data-testid="retention-place" />
              </Field>
              <button type="submit" className={proposal.kind === 'musnah' ? 'danger' : undefined} disabled={busy} data-testid="retention-execute-submit">
                {tr(proposal.kind === 'musnah' ? 'retention.destroy' : 'retention.handOver')}
              </button>
            </form>
          )}
        </Card>
      )}

      {overview && (
        <Card id="retention-files-title" title={tr('retention.files')}>
          {overview.files.length === 0 ? (
            <p className="hint">{tr('retention.noFiles')}</p>
          ) : (
            <table className="table table-rows" data-testid="retention-files">
              <Head columns={['NIP', tr('retention.nama'), tr('retention.leftOn'), tr('retention.punahOn'), tr('retention.documents'), tr('retention.hold')]} />
              <tbody>
                {overview.files.map((file) => (
                  <tr key={file.nip} data-testid="retention-file-row">
                    <td className="mono">{file.nip}</td>
                    <td>{file.nama}</td>
                    <td>{formatDate(file.leftOn, locale)}</td>
                    <td>{formatDate(file.punahOn, locale)}</td>
                    <td>
                      {PHASES.filter((phase) => file.phases[phase])
                        .map((phase) => `${tr(`retention.phase.${phase}`)}: ${file.phases[phase]}`)
                        .join(', ')}
                    </td>
                    <td>{file.hold ? tr('retention.heldBy', { reason: file.hold.reason, by: file.hold.by }) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}

      {admin && (
        <Card id="retention-status-title" title={tr('retention.recordStatus')}>
          <p className="hint">{tr('retention.recordStatusHint')}</p>
          <form
            className="form-row"
            data-testid="retention-status-form"
            onSubmit={submit(() => run(() => host.call('retention.recordStatus', status), (value) => tr('retention.statusRecorded', { nama: value.nama })))}
          >
            <Field label="NIP">
              <input value={status.nip} onChange={(event) => setStatus({ ...status, nip: event.target.value.replace(/\D/g, '') })} required inputMode="numeric" maxLength={18} data-testid="retention-status-nip" />
            </Field>
            <Field label={tr('retention.kedudukan')}>
              <select value={status.kedudukanHukum} onChange={(event) => setStatus({ ...status, kedudukanHukum: event.target.value })} data-testid="retention-status-code">
                {kedudukan.map((item) => (
                  <option key={item.code} value={item.code}>
                    {item.code} {item.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={tr('retention.date')}>
              <input type="date" value={status.date} onChange={(event) => setStatus({ ...status, date: event.target.value })} required data-testid="retention-status-date" />
            </Field>
            <button type="submit" disabled={busy} data-testid="retention-status-submit">
              {tr('retention.save')}
            </button>
          </form>

          <h2>{tr('retention.holdTitle')}</h2>
          <form className="form-row" data-testid="retention-hold-form" onSubmit={(event) => event.preventDefault()}>
            <Field label="NIP">
              <input value={hold.nip} onChange={(event) => setHold({ ...hold, nip: event.target.value.replace(/\D/g, '') })} inputMode="numeric" maxLength={18} data-testid="retention-hold-nip" />
            </Field>
            <Field label={tr('retention.reason')}>
              <input value={hold.reason} onChange={(event) => setHold({ ...hold, reason: event.target.value })} maxLength={500} data-testid="retention-hold-reason" />
            </Field>
            <button type="button" disabled={busy} onClick={() => void run(() => host.call('retention.setHold', hold), (value) => tr('retention.holdSet', { nama: value.nama }))} data-testid="retention-hold-set">
              {tr('retention.setHold')}
            </button>
            <button type="button" disabled={busy} onClick={() => void run(() => host.call('retention.liftHold', hold), (value) => tr('retention.holdLifted', { nama: value.nama }))} data-testid="retention-hold-lift">
              {tr('retention.liftHold')}
            </button>
          </form>
        </Card>
      )}

      {overview && overview.reports.length > 0 && (
        <Card id="retention-reports-title" title={tr('retention.reports')}>
          <ul data-testid="retention-reports">
            {overview.reports.map((report) => (
              <li key={report.id}>
                <button type="button" className="link" onClick={() => void download(report.id)}>
                  {tr(`retention.reportKind.${report.kind}`)} {report.number}
                </button>{' '}
                <span className="hint">{formatDate(report.createdAt, locale)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}

      <Card id="retention-alih-title" title={tr('retention.alihMedia')}>
        <form
          className="form-row"
          data-testid="retention-alih-form"
          onSubmit={submit(async () => {
            const nips = parseNipList(batchNips);
            const value = await run(() => host.call('retention.alihMedia', { ...range, agency, place, ...(nips.length > 0 ? { nips } : {}) }), (result) => tr('retention.alihDone', { number: result.report.number }));
            if (value) saveExported(value.file);
          })}
        >
          <Field label={tr('retention.from')}>
            <input type="date" value={range.from} onChange={(event) => setRange({ ...range, from: event.target.value })} required />
          </Field>
          <Field label={tr('retention.to')}>
            <input type="date" value={range.to} onChange={(event) => setRange({ ...range, to: event.target.value })} required />
          </Field>
          <Field label={tr('retention.agency')}>
            <input value={agency} onChange={(event) => setAgency(event.target.value)} required maxLength={200} />
          </Field>
          <Field label={tr('retention.place')}>
            <input value={place} onChange={(event) => setPlace(event.target.value)} required maxLength={100} />
          </Field>
          <Field label={tr('retention.alihNips')}>
            <textarea value={batchNips} onChange={(event) => setBatchNips(event.target.value)} rows={3} aria-describedby="retention-alih-nips-hint" data-testid="retention-alih-nips" />
          </Field>
          <p id="retention-alih-nips-hint" className="hint">
            {tr('retention.alihNipsHint')}
          </p>
          <button type="submit" disabled={busy} data-testid="retention-alih-submit">
            {tr('retention.alihSubmit')}
          </button>
        </form>
      </Card>

      {schedule && <ScheduleTable schedule={schedule} admin={admin} typeName={typeName} onSave={(input) => run(() => host.call('retention.setRule', input), () => tr('retention.ruleSaved', { type: typeName(input.typeCode) }))} onReset={(typeCode) => run(() => host.call('retention.resetRule', { typeCode }), () => tr('retention.ruleReset', { type: typeName(typeCode) }))} />}
    </div>
  );
}

interface RuleInput {
  typeCode: string;
  activeYears: number;
  inactiveYears: number;
  disposition: Disposition;
}

/** A type with this disposition has no clock of its own: lifecycleOf runs it on the personal file's. */
const FOLLOWS_FILE: Disposition = 'berkas_perseorangan';

/** The JRA in force, one row per document type; an admin edits a row in place. */
function ScheduleTable({ schedule, admin, typeName, onSave, onReset }: { schedule: Schedule; admin: boolean; typeName: (code: string) => string; onSave: (input: RuleInput) => Promise<unknown>; onReset: (typeCode: string) => Promise<unknown> }) {
  const tr = useT();
  const [editing, setEditing] = useState<RuleInput | null>(null);
  return (
    <Card id="retention-jra-title" title={tr('retention.jra')}>
      <p className="hint">{schedule.note}</p>
      <p className="hint">{tr('retention.personalFile', { years: schedule.personalFile.inactiveYears, disposition: tr(`retention.disposition.${schedule.personalFile.disposition}`) })}</p>
      <table className="table" data-testid="retention-jra">
        <Head columns={[tr('retention.type'), tr('retention.activeYears'), tr('retention.inactiveYears'), tr('retention.disposition'), tr('retention.source'), ...(admin ? [''] : [])]} />
        <tbody>
          {schedule.rules.map((rule) =>
            editing?.typeCode === rule.typeCode ? (
              <tr key={rule.typeCode} data-testid={`retention-jra-${rule.typeCode}`}>
                <td>{typeName(rule.typeCode)}</td>
                {editing.disposition === FOLLOWS_FILE ? (
                  <td colSpan={2} className="hint" data-testid="retention-jra-follows">
                    {tr('retention.followsFileHint')}
                  </td>
                ) : (
                  <>
                    <td>
                      <input type="number" min={0} max={100} aria-label={tr('retention.activeYears')} value={editing.activeYears} onChange={(event) => setEditing({ ...editing, activeYears: Number(event.target.value) })} />
                    </td>
                    <td>
                      <input type="number" min={0} max={100} aria-label={tr('retention.inactiveYears')} value={editing.inactiveYears} onChange={(event) => setEditing({ ...editing, inactiveYears: Number(event.target.value) })} />
                    </td>
                  </>
                )}
                <td>
                  <select
                    aria-label={tr('retention.disposition')}
                    value={editing.disposition}
                    // Years typed for another disposition are dropped: the personal file's clock applies (main refuses others).
                    onChange={(event) => {
                      const disposition = event.target.value as Disposition;
                      setEditing(disposition === FOLLOWS_FILE ? { ...editing, disposition, activeYears: rule.activeYears, inactiveYears: rule.inactiveYears } : { ...editing, disposition });
                    }}
                  >
                    {DISPOSITIONS.map((disposition) => (
                      <option key={disposition} value={disposition}>
                        {tr(`retention.disposition.${disposition}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{rule.source}</td>
                <td>
                  <button type="button" onClick={() => void onSave(editing).then(() => setEditing(null))}>
                    {tr('retention.save')}
                  </button>
                  <button type="button" onClick={() => setEditing(null)}>
                    {tr('retention.cancel')}
                  </button>
                </td>
              </tr>
            ) : (
              <tr key={rule.typeCode} data-testid={`retention-jra-${rule.typeCode}`}>
                <td>{typeName(rule.typeCode)}</td>
                {rule.disposition === FOLLOWS_FILE ? (
                  <td colSpan={2} className="hint">
                    {tr('retention.followsFile')}
                  </td>
                ) : (
                  <>
                    <td>{rule.activeYears}</td>
                    <td>{rule.inactiveYears}</td>
                  </>
                )}
                <td>{tr(`retention.disposition.${rule.disposition}`)}</td>
                <td>
                  {rule.isDefault ? <span className="badge">{tr('retention.default')}</span> : null} {rule.source}
                </td>
                {admin && (
                  <td>
                    <button type="button" onClick={() => setEditing({ typeCode: rule.typeCode, activeYears: rule.activeYears, inactiveYears: rule.inactiveYears, disposition: rule.disposition })}>
                      {tr('retention.edit')}
                    </button>
                    {!rule.isDefault && (
                      <button type="button" onClick={() => void onReset(rule.typeCode)}>
                        {tr('retention.reset')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </Card>
  );
}
