// Retention (penyusutan) of personnel files. The JRA (common/retention.ts) gives each
// document a lifecycle from its employee's dates: the clocks start when the employee
// leaves service (seen in the employee list's kedudukan hukum, or recorded by an admin with
// the real date), a file whose employee is Punah is inactive for a year, then its documents
// are proposed Musnah or Statis. A legal hold freezes a file whatever its dates say.
// Disposal is a workflow, each step audited (the audit log syncs with everything else):
// an admin draws up the Daftar Arsip Usul Musnah (or the statis list), a verifier or admin
// reviews and recommends, an admin approves, and an admin destroys: the metadata stays,
// marked musnah, the bytes go from the blob store unless a surviving document shares them,
// and the Berita Acara Pemusnahan is generated and kept. Statis archives are handed over
// with a Daftar Arsip Statis instead. A batch of digitized folders can also be given its
// Berita Acara Alih Media.

import type { ExportedFile, ExportFormat } from '../../../common/contract';
import { formatIsoDate, parseIsoDate, todayOf } from '../../../common/dates';
import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import {
  lifecycleOf,
  type Disposition,
  type FinalDisposition,
  type JraRule,
  type JraSchedule,
  type Phase,
  type Proposal,
  type ProposalDetail,
  type ProposalItem,
  type ProposalState,
  type RetentionFile,
  type RetentionOverview,
  type RetentionReport,
} from '../../../common/retention';
import type { Db } from '../../infra/db';
import type { ReportDoc } from '../../infra/reports/types';
import { writeTransaction, type AuditLog } from '../audit';
import type { Actor, Clock, Translate } from '../ports';
import { alihMediaReport, disposalReport, proposalReport, type AlihMediaDocument, type ReportText } from './reports';

export interface RetentionDeps {
  db: Db;
  clock: Clock;
  translate: Translate;
  /** Report text: official documents are in Indonesian whatever the UI language. */
  reportText: ReportText;
  schedule: () => JraSchedule;
  reference: () => ReferenceData;
  audit: AuditLog;
  /** Deletes a blob's bytes from the local store (nothing if already gone). */
  removeBlob: (sha256: string) => Promise<void>;
  /** Renders a report as PDF, or its tables as XLSX or CSV (main/infra/reports exportReport). */
  renderReport: (doc: ReportDoc, format: ExportFormat, fileName: string) => Promise<ExportedFile>;
}

/** Proposals still in the workflow: their documents are not proposed again. A ditolak one frees them. */
const OPEN_STATES: readonly ProposalState[] = ['usul', 'direkomendasikan', 'disetujui'];
const OPEN = OPEN_STATES.map((state) => `'${state}'`).join(', ');
/**
 * The audit actions whose detail names bytes a document had before (main/core/pages keeps a
 * page edit's previous bytes, main/core/optimize its original): destruction removes those too.
 */
const PAGE_ACTIONS = ['document.pages_rotated', 'document.pages_moved', 'document.pages_deleted', 'document.split', 'document.split_from', 'document.merged', 'document.merged_into'] as const;
const HISTORY_ACTIONS = [...PAGE_ACTIONS, 'document.optimized', 'document.original_released'] as const;
/** How many NIPs an error names before it only counts the rest. */
const NIPS_NAMED = 10;

/** "a, b, c" or, for a long list, its first NIPS_NAMED and "(+N)". */
function listed(nips: readonly string[]): string {
  const named = nips.slice(0, NIPS_NAMED).join(', ');
  return nips.length > NIPS_NAMED ? `${named} (+${nips.length - NIPS_NAMED})` : named;
}

/** How many files the overview lists; the rest are counted in the phase totals. */
const FILES_SHOWN = 500;

interface ScopeRow {
  id: number;
  nip: string;
  nama: string;
  type_code: string;
  nomor: string | null;
  tanggal: string | null;
  sha256: string;
  page_count: number;
  left_on: string | null;
  punah_on: string | null;
  held: number;
  disposed: 'musnah' | 'statis' | null;
}

interface ProposalRow {
  id: number;
  kind: FinalDisposition;
  number: string;
  state: ProposalState;
  created_by: string;
  created_at: string;
  recommended_by: string | null;
  recommended_at: string | null;
  recommended_note: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approved_note: string | null;
  executed_by: string | null;
  executed_at: string | null;
  executed_note: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  rejected_reason: string | null;
  item_count: number;
  report_id: number | null;
}

interface ReportRow {
  id: number;
  kind: RetentionReport['kind'];
  number: string;
  file_name: string;
  proposal_id: number | null;
  created_by: string;
  created_at: string;
}

function step(by: string | null, at: string | null, note: string | null) {
  return by && at ? { by, at, note: note ?? '' } : null;
}

function proposalFrom(row: ProposalRow): Proposal {
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    state: row.state,
    createdBy: row.created_by,
    createdAt: row.created_at,
    recommended: step(row.recommended_by, row.recommended_at, row.recommended_note),
    approved: step(row.approved_by, row.approved_at, row.approved_note),
    executed: step(row.executed_by, row.executed_at, row.executed_note),
    rejected: step(row.rejected_by, row.rejected_at, row.rejected_reason),
    itemCount: row.item_count,
    reportId: row.report_id,
  };
}

function reportFrom(row: ReportRow): RetentionReport {
  return { id: row.id, kind: row.kind, number: row.number, fileName: row.file_name, proposalId: row.proposal_id, createdBy: row.created_by, createdAt: row.created_at };
}

const PROPOSAL_SELECT = `
SELECT p.*, (SELECT count(*) FROM disposal_items i WHERE i.proposal_id = p.id) AS item_count,
  (SELECT max(r.id) FROM retention_reports r WHERE r.proposal_id = p.id) AS report_id
FROM disposal_proposals p`;

const REPORT_SELECT = 'SELECT id, kind, number, file_name, proposal_id, created_by, created_at FROM retention_reports';

export function createRetention(deps: RetentionDeps) {
  const { db, translate } = deps;
  const today = () => todayOf(deps.clock.now());
  const nowIso = () => deps.clock.now().toISOString();

  function ruleOf(typeCode: string): JraRule {
    const schedule = deps.schedule();
    const override = db.prepare('SELECT * FROM retention_jra WHERE type_code = ?').get(typeCode) as
      | { active_years: number; inactive_years: number; disposition: Disposition; updated_by: string; updated_at: string }
      | undefined;
    const shipped = schedule.entries.find((entry) => entry.typeCode === typeCode) ?? { ...schedule.fallback, typeCode };
    if (!override) return { ...shipped, isDefault: true, updatedBy: null, updatedAt: null };
    return {
      typeCode,
      activeYears: override.active_years,
      inactiveYears: override.inactive_years,
      disposition: override.disposition,
      source: translate('retention.changed_by_admin', { source: shipped.source }),
      isDefault: false,
      updatedBy: override.updated_by,
      updatedAt: override.updated_at,
    };
  }

  function rules(): Map<string, JraRule> {
    return new Map(deps.reference().documentTypes.map((type) => [type.code, ruleOf(type.code)]));
  }

  /**
   * Starts (or stops) the clocks from the employee list: a status that means leaving
   * service, first seen today, starts them today; Punah likewise. A status back in service
   * (a corrected list) clears dates that were only observed, never ones an admin recorded.
   */
  function observe(): void {
    const schedule = deps.schedule();
    const leave = schedule.leaveCodes.codes;
    const marks = leave.map(() => '?').join(', ');
    const day = formatIsoDate(today());
    const now = nowIso();
    writeTransaction(db, () => {
      const started = db
        .prepare(
          `INSERT INTO retention_dates (nip, left_on, punah_on, source, updated_at)
           SELECT nip, ?, CASE WHEN kedudukan_hukum = ? THEN ? END, 'observed', ? FROM employees
           WHERE kedudukan_hukum IN (${marks}) AND nip NOT IN (SELECT nip FROM retention_dates) RETURNING nip`,
        )
        .all(day, schedule.punahCode.code, day, now, ...leave) as { nip: string }[];
      const punah = db
        .prepare(`UPDATE retention_dates SET punah_on = ?, updated_at = ? WHERE punah_on IS NULL AND nip IN (SELECT nip FROM employees WHERE kedudukan_hukum = ?) RETURNING nip`)
        .all(day, now, schedule.punahCode.code) as { nip: string }[];
      const stopped = db
        .prepare(`DELETE FROM retention_dates WHERE source = 'observed' AND nip IN (SELECT nip FROM employees WHERE kedudukan_hukum IS NULL OR kedudukan_hukum NOT IN (${marks})) RETURNING nip`)
        .all(...leave) as { nip: string }[];
      if (started.length + punah.length + stopped.length === 0) return;
      const list = (rows: { nip: string }[]) => rows.slice(0, 100).map((row) => row.nip);
      deps.audit.append({ actor: 'lemari', action: 'retention.clocks_observed', detail: { on: day, left: list(started), punah: list(punah), back: list(stopped) } });
    });
  }

  /** Every labelled document retention has anything to say about, with its employee's dates. */
  function scope(filter = '1'): ScopeRow[] {
    return db
      .prepare(
        `SELECT d.id, d.nip, e.nama, d.type_code, d.nomor, d.tanggal, d.sha256, d.page_count, r.left_on, r.punah_on,
           EXISTS (SELECT 1 FROM legal_holds h WHERE h.nip = d.nip AND h.lifted_at IS NULL) AS held, x.disposition AS disposed
         FROM documents d
         JOIN employees e ON e.nip = d.nip
         LEFT JOIN retention_dates r ON r.nip = d.nip
         LEFT JOIN document_disposals x ON x.document_id = d.id
         WHERE d.type_code IS NOT NULL
           AND (r.nip IS NOT NULL OR x.document_id IS NOT NULL OR d.nip IN (SELECT nip FROM legal_holds WHERE lifted_at IS NULL))
           AND ${filter}
         ORDER BY d.nip, d.id`,
      )
      .all() as ScopeRow[];
  }

  function phaseOf(row: ScopeRow, byType: Map<string, JraRule>): { phase: Phase; dueOn: string | null } {
    if (row.disposed) return { phase: row.disposed, dueOn: null };
    const rule = byType.get(row.type_code) ?? ruleOf(row.type_code);
    const life = lifecycleOf(rule, deps.schedule().personalFile, { leftOn: row.left_on, punahOn: row.punah_on }, today());
    return { phase: row.held ? 'ditahan' : life.phase, dueOn: life.dueOn };
  }

  function proposalRow(id: number): ProposalRow {
    const row = db.prepare(`${PROPOSAL_SELECT} WHERE p.id = ?`).get(id) as ProposalRow | undefined;
    if (!row) throw new AppError('not_found', translate('retention.proposal_not_found', { id }));
    return row;
  }

  function detail(id: number): ProposalDetail {
    const row = proposalRow(id);
    const items = (db.prepare('SELECT * FROM disposal_items WHERE proposal_id = ? ORDER BY nip, type_code, document_id').all(id) as {
      document_id: number;
      nip: string;
      nama: string;
      type_code: string;
      nomor: string | null;
      tanggal: string | null;
      due_on: string;
      sha256: string;
      pages: number;
    }[]).map(
      (item): ProposalItem => ({
        documentId: item.document_id,
        nip: item.nip,
        nama: item.nama,
        typeCode: item.type_code,
        nomor: item.nomor,
        tanggal: item.tanggal,
        dueOn: item.due_on,
        sha256: item.sha256,
        pages: item.pages,
      }),
    );
    return { ...proposalFrom(row), items };
  }

  /** Refuses to move a proposal that lists a file put under a legal hold since it was drawn up. */
  function refuseHeld(id: number): void {
    const held = db
      .prepare('SELECT DISTINCT i.nip FROM disposal_items i JOIN legal_holds h ON h.nip = i.nip AND h.lifted_at IS NULL WHERE i.proposal_id = ? ORDER BY i.nip')
      .all(id) as { nip: string }[];
    if (held.length > 0) throw new AppError('conflict', translate('retention.held_in_proposal', { nips: held.map((row) => row.nip).join(', ') }));
  }

  function expectState(row: ProposalRow, allowed: readonly ProposalState[], kind?: FinalDisposition): void {
    if (row.state === 'ditolak') throw new AppError('conflict', translate('retention.proposal_rejected', { number: row.number, reason: row.rejected_reason ?? '' }));
    if (kind && row.kind !== kind) throw new AppError('conflict', translate(kind === 'musnah' ? 'retention.not_musnah' : 'retention.not_statis', { number: row.number }));
    if (!allowed.includes(row.state)) throw new AppError('conflict', translate('retention.wrong_state', { number: row.number, state: translate(`retention.state.${row.state}`) }));
  }

  function nameOf(nip: string): string {
    return (db.prepare('SELECT nama FROM users WHERE nip = ?').get(nip) as { nama: string } | undefined)?.nama ?? nip;
  }

  function nextNumber(prefix: string, table: 'disposal_proposals' | 'retention_reports', where: string, value: string): string {
    const year = today().y;
    const pattern = `${prefix}/%/${year}`;
    const count = (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where} = ? AND number LIKE ?`).get(value, pattern) as { n: number }).n;
    // A rejection now keeps its row (state ditolak), but before migration 017 it deleted the
    // row and left only the audit entry; that number was on paper too: never give it out again.
    const deleted =
      table === 'disposal_proposals'
        ? (
            db
              .prepare(
                `SELECT count(DISTINCT json_extract(detail, '$.number')) AS n FROM audit_log WHERE action = 'retention.rejected'
                 AND json_extract(detail, '$.number') LIKE ? AND json_extract(detail, '$.number') NOT IN (SELECT number FROM disposal_proposals)`,
              )
              .get(pattern) as { n: number }
          ).n
        : 0;
    return `${prefix}/${String(count + deleted + 1).padStart(3, '0')}/${year}`;
  }

  /**
   * Destruction waits for the sync outbox: a document not yet on the central server would
   * otherwise be gone everywhere before the DMS ever held it, and an upload in flight
   * would lose its bytes mid-file. The admin runs a sync, then destroys (the destruction's
   * audit entries sync too). Removing such documents from the outbox instead was rejected:
   * the DMS is the archive of record, and it must see the document its Berita Acara lists.
   */
  function refuseUnsent(id: number): void {
    const unsent = db
      .prepare('SELECT i.document_id FROM disposal_items i JOIN sync_outbox o ON o.document_id = i.document_id WHERE i.proposal_id = ? ORDER BY i.document_id')
      .all(id) as { document_id: number }[];
    if (unsent.length > 0) throw new AppError('conflict', translate('retention.unsent_in_proposal', { ids: unsent.map((row) => row.document_id).join(', ') }));
  }

  function storeReport(kind: RetentionReport['kind'], number: string, file: ExportedFile, proposalId: number | null, actor: Actor): number {
    const result = db
      .prepare('INSERT INTO retention_reports (kind, number, file_name, pdf, proposal_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(kind, number, file.fileName, Buffer.from(file.base64, 'base64'), proposalId, actor.id, nowIso());
    return Number(result.lastInsertRowid);
  }

  function reportById(id: number): RetentionReport {
    return reportFrom(db.prepare(`${REPORT_SELECT} WHERE id = ?`).get(id) as ReportRow);
  }

  function employeeNama(nip: string): string {
    const row = db.prepare('SELECT nama FROM employees WHERE nip = ?').get(nip) as { nama: string } | undefined;
    if (!row) throw new AppError('not_found', translate('employees.not_found', { nip }));
    return row.nama;
  }

  function fileOf(nip: string): RetentionFile {
    employeeNama(nip);
    observe();
    return files(`d.nip = '${nip.replaceAll("'", "''")}'`, nip)[0];
  }

  /** The files in scope (or one), each with its documents counted by phase. */
  function files(filter = '1', only?: string): RetentionFile[] {
    const byType = rules();
    const rows = scope(filter);
    const nips = only
      ? [only]
      : (db
          .prepare(
            `SELECT nip FROM retention_dates UNION SELECT nip FROM legal_holds WHERE lifted_at IS NULL
             UNION SELECT d.nip FROM document_disposals x JOIN documents d ON d.id = x.document_id ORDER BY 1 LIMIT ${FILES_SHOWN}`,
          )
          .all() as { nip: string }[]).map((row) => row.nip);
    const docs = new Map<string, ScopeRow[]>();
    for (const row of rows) docs.set(row.nip, [...(docs.get(row.nip) ?? []), row]);
    return nips.flatMap((nip) => {
      const employee = db
        .prepare('SELECT e.nama, e.kedudukan_hukum, r.left_on, r.punah_on FROM employees e LEFT JOIN retention_dates r ON r.nip = e.nip WHERE e.nip = ?')
        .get(nip) as { nama: string; kedudukan_hukum: string | null; left_on: string | null; punah_on: string | null } | undefined;
      if (!employee) return [];
      const hold = db.prepare('SELECT reason, set_by AS by, set_at AS at FROM legal_holds WHERE nip = ? AND lifted_at IS NULL').get(nip) as RetentionFile['hold'] | undefined;
      const phases: RetentionFile['phases'] = {};
      let nextDueOn: string | null = null;
      const own = docs.get(nip) ?? [];
      for (const row of own) {
        const { phase, dueOn } = phaseOf(row, byType);
        phases[phase] = (phases[phase] ?? 0) + 1;
        if (dueOn && (phase === 'aktif' || phase === 'inaktif') && (nextDueOn === null || dueOn < nextDueOn)) nextDueOn = dueOn;
      }
      return [{ nip, nama: employee.nama, kedudukanHukum: employee.kedudukan_hukum, leftOn: employee.left_on, punahOn: employee.punah_on, hold: hold ?? null, documents: own.length, phases, nextDueOn }];
    });
  }

  return {
    /** The schedule in force: each document type's rule, marked default or changed. */
    schedule() {
      const schedule = deps.schedule();
      return { regulation: schedule.regulation, confirmed: schedule.confirmed, note: schedule.note, personalFile: schedule.personalFile, rules: [...rules().values()] };
    },

    setRule(input: { typeCode: string; activeYears: number; inactiveYears: number; disposition: Disposition }, actor: Actor): JraRule {
      if (!deps.reference().documentTypes.some((type) => type.code === input.typeCode)) throw new AppError('not_found', translate('retention.unknown_type', { code: input.typeCode }));
      const before = ruleOf(input.typeCode);
      // A type that joins the personal file has no clock of its own (lifecycleOf): years given for it would be ignored.
      if (input.disposition === 'berkas_perseorangan' && (input.activeYears !== before.activeYears || input.inactiveYears !== before.inactiveYears)) {
        throw new AppError('invalid_input', translate('retention.personal_file_years', { code: input.typeCode, years: deps.schedule().personalFile.inactiveYears }));
      }
      writeTransaction(db, () => {
        db.prepare(
          `INSERT INTO retention_jra (type_code, active_years, inactive_years, disposition, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (type_code) DO UPDATE SET active_years = excluded.active_years, inactive_years = excluded.inactive_years,
             disposition = excluded.disposition, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        ).run(input.typeCode, input.activeYears, input.inactiveYears, input.disposition, actor.id, nowIso());
        deps.audit.append({
          actor: actor.id,
          action: 'retention.rule_changed',
          detail: { typeCode: input.typeCode, before: { activeYears: before.activeYears, inactiveYears: before.inactiveYears, disposition: before.disposition }, after: input },
        });
      });
      return ruleOf(input.typeCode);
    },

    resetRule(typeCode: string, actor: Actor): JraRule {
      writeTransaction(db, () => {
        const removed = db.prepare('DELETE FROM retention_jra WHERE type_code = ?').run(typeCode).changes;
        if (removed > 0) deps.audit.append({ actor: actor.id, action: 'retention.rule_reset', detail: { typeCode } });
      });
      return ruleOf(typeCode);
    },

    /**
     * An admin records a status change with its real date (the SK's date, not the day the
     * list was imported): the employee's kedudukan hukum changes and the clocks run from it.
     */
    recordStatus(input: { nip: string; kedudukanHukum: string; date: string }, actor: Actor): RetentionFile {
      const schedule = deps.schedule();
      employeeNama(input.nip);
      const date = parseIsoDate(input.date);
      if (!date) throw new AppError('invalid_input', translate('retention.bad_date', { value: input.date }));
      if (!deps.reference().kedudukanHukum.some((k) => k.code === input.kedudukanHukum)) throw new AppError('invalid_input', translate('employees.row_kedudukan', { row: '-', value: input.kedudukanHukum }));
      const day = formatIsoDate(date);
      const leaving = schedule.leaveCodes.codes.includes(input.kedudukanHukum);
      const punah = input.kedudukanHukum === schedule.punahCode.code;
      const now = nowIso();
      writeTransaction(db, () => {
        db.prepare('UPDATE employees SET kedudukan_hukum = ?, updated_at = ? WHERE nip = ?').run(input.kedudukanHukum, now, input.nip);
        if (!leaving) db.prepare('DELETE FROM retention_dates WHERE nip = ?').run(input.nip);
        else
          db.prepare(
            `INSERT INTO retention_dates (nip, left_on, punah_on, source, updated_at) VALUES (?, ?, ?, 'recorded', ?)
             ON CONFLICT (nip) DO UPDATE SET left_on = CASE WHEN ? THEN min(retention_dates.left_on, excluded.left_on) ELSE excluded.left_on END,
               punah_on = excluded.punah_on, source = 'recorded', updated_at = excluded.updated_at`,
          ).run(input.nip, day, punah ? day : null, now, punah ? 1 : 0);
        deps.audit.append({ actor: actor.id, action: 'retention.status_recorded', nip: input.nip, detail: { kedudukanHukum: input.kedudukanHukum, date: day } });
      });
      return fileOf(input.nip);
    },

    setHold(input: { nip: string; reason: string }, actor: Actor): RetentionFile {
      employeeNama(input.nip);
      writeTransaction(db, () => {
        if (db.prepare('SELECT 1 FROM legal_holds WHERE nip = ? AND lifted_at IS NULL').get(input.nip)) throw new AppError('conflict', translate('retention.already_held', { nip: input.nip }));
        db.prepare('INSERT INTO legal_holds (nip, reason, set_by, set_at) VALUES (?, ?, ?, ?)').run(input.nip, input.reason, actor.id, nowIso());
        deps.audit.append({ actor: actor.id, action: 'retention.hold_set', nip: input.nip, detail: { reason: input.reason } });
      });
      return fileOf(input.nip);
    },

    liftHold(input: { nip: string; reason: string }, actor: Actor): RetentionFile {
      writeTransaction(db, () => {
        const lifted = db.prepare('UPDATE legal_holds SET lifted_by = ?, lifted_at = ?, lift_reason = ? WHERE nip = ? AND lifted_at IS NULL').run(actor.id, nowIso(), input.reason, input.nip).changes;
        if (lifted === 0) throw new AppError('not_found', translate('retention.not_held', { nip: input.nip }));
        deps.audit.append({ actor: actor.id, action: 'retention.hold_lifted', nip: input.nip, detail: { reason: input.reason } });
      });
      return fileOf(input.nip);
    },

    overview(): RetentionOverview {
      observe();
      const byType = rules();
      const phases: RetentionOverview['phases'] = {};
      const rows = scope();
      for (const row of rows) {
        const { phase } = phaseOf(row, byType);
        phases[phase] = (phases[phase] ?? 0) + 1;
      }
      const labelled = (db.prepare('SELECT count(*) AS n FROM documents d JOIN employees e ON e.nip = d.nip WHERE d.type_code IS NOT NULL').get() as { n: number }).n;
      phases.aktif = (phases.aktif ?? 0) + labelled - rows.length;
      const schedule = deps.schedule();
      return {
        today: formatIsoDate(today()),
        confirmed: schedule.confirmed,
        regulation: schedule.regulation,
        phases,
        files: files(),
        proposals: (db.prepare(`${PROPOSAL_SELECT} ORDER BY p.id DESC`).all() as ProposalRow[]).map(proposalFrom),
        reports: (db.prepare(`${REPORT_SELECT} ORDER BY id DESC`).all() as ReportRow[]).map(reportFrom),
      };
    },

    file: fileOf,

    /** Draws up the list of documents due for `kind` that no hold, open proposal or earlier disposal keeps back. */
    propose(kind: FinalDisposition, actor: Actor): ProposalDetail {
      observe();
      const byType = rules();
      const due = scope(`x.document_id IS NULL AND d.id NOT IN (SELECT i.document_id FROM disposal_items i JOIN disposal_proposals p ON p.id = i.proposal_id WHERE p.state IN (${OPEN}))`).flatMap(
        (row) => {
          const { phase, dueOn } = phaseOf(row, byType);
          return phase === (kind === 'musnah' ? 'usul_musnah' : 'usul_statis') ? [{ row, dueOn: dueOn! }] : [];
        },
      );
      if (due.length === 0) throw new AppError('conflict', translate(kind === 'musnah' ? 'retention.nothing_due_musnah' : 'retention.nothing_due_statis'));
      const id = writeTransaction(db, () => {
        const number = nextNumber(kind === 'musnah' ? 'DAUM' : 'DAS', 'disposal_proposals', 'kind', kind);
        const created = db.prepare(`INSERT INTO disposal_proposals (kind, number, state, created_by, created_at) VALUES (?, ?, 'usul', ?, ?)`).run(kind, number, actor.id, nowIso());
        const proposalId = Number(created.lastInsertRowid);
        const insert = db.prepare('INSERT INTO disposal_items (proposal_id, document_id, nip, nama, type_code, nomor, tanggal, due_on, sha256, pages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        for (const { row, dueOn } of due) insert.run(proposalId, row.id, row.nip, row.nama, row.type_code, row.nomor, row.tanggal, dueOn, row.sha256, row.page_count);
        deps.audit.append({ actor: actor.id, action: 'retention.proposed', detail: { proposalId, number, kind, documents: due.length } });
        return proposalId;
      });
      return detail(id);
    },

    proposal: detail,

    /**
     * The proposal's list as a file to check and sign (PDF with the agency and places for
     * signatures) or to work on (XLSX, CSV), in Indonesian; audited like the other exports.
     */
    async exportProposal(input: { id: number; format: ExportFormat; agency: string; place: string | null }, actor: Actor): Promise<ExportedFile> {
      const proposal = detail(input.id);
      const doc = proposalReport(deps.reportText, { proposal, agency: input.agency, place: input.place, at: deps.clock.now(), names: nameOf, reference: deps.reference() });
      const stem = `${proposal.kind === 'musnah' ? 'daftar-arsip-usul-musnah' : 'daftar-arsip-usul-statis'}-${proposal.number.replaceAll('/', '-')}`;
      const file = await deps.renderReport(doc, input.format, stem);
      deps.audit.append({ actor: actor.id, action: 'retention.proposal_exported', detail: { proposalId: proposal.id, number: proposal.number, format: input.format } });
      return file;
    },

    /** A verifier (or admin) reviews the list and recommends it: the appraisal panel's opinion. */
    recommend(input: { id: number; note: string }, actor: Actor): ProposalDetail {
      writeTransaction(db, () => {
        const row = proposalRow(input.id);
        expectState(row, ['usul']);
        db.prepare(`UPDATE disposal_proposals SET state = 'direkomendasikan', recommended_by = ?, recommended_at = ?, recommended_note = ? WHERE id = ?`).run(actor.id, nowIso(), input.note, input.id);
        deps.audit.append({ actor: actor.id, action: 'retention.recommended', detail: { proposalId: input.id, number: row.number, note: input.note } });
      });
      return detail(input.id);
    },

    approve(input: { id: number; note: string }, actor: Actor): ProposalDetail {
      writeTransaction(db, () => {
        const row = proposalRow(input.id);
        expectState(row, ['usul', 'direkomendasikan']);
        refuseHeld(input.id);
        db.prepare(`UPDATE disposal_proposals SET state = 'disetujui', approved_by = ?, approved_at = ?, approved_note = ? WHERE id = ?`).run(actor.id, nowIso(), input.note, input.id);
        deps.audit.append({ actor: actor.id, action: 'retention.approved', detail: { proposalId: input.id, number: row.number, note: input.note } });
      });
      return detail(input.id);
    },

    /**
     * An admin rejects a proposal, or withdraws it, before it is carried out, with a reason.
     * The proposal stays, ditolak, with its list (what was rejected) and who, when and why;
     * the audit entry (which syncs) repeats all of it. The documents fall back to the phase
     * their dates give: a ditolak proposal is not open, so the next run proposes them again
     * under a new number.
     */
    reject(input: { id: number; reason: string }, actor: Actor): { id: number; number: string; documents: number } {
      return writeTransaction(db, () => {
        const proposal = detail(input.id);
        const row = proposalRow(input.id);
        expectState(row, OPEN_STATES);
        db.prepare(`UPDATE disposal_proposals SET state = 'ditolak', rejected_by = ?, rejected_at = ?, rejected_reason = ? WHERE id = ?`).run(actor.id, nowIso(), input.reason, input.id);
        deps.audit.append({
          actor: actor.id,
          action: 'retention.rejected',
          detail: {
            proposalId: input.id,
            number: row.number,
            kind: row.kind,
            state: row.state,
            reason: input.reason,
            documents: proposal.items.map((item) => ({ id: item.documentId, nip: item.nip, typeCode: item.typeCode, sha256: item.sha256 })),
          },
        });
        return { id: input.id, number: row.number, documents: proposal.items.length };
      });
    },

    /**
     * Carries out an approved proposal: destroys (musnah) or hands over (statis). The report
     * is rendered first, then the marks, the report and the audit entries commit together;
     * only then do the bytes go, so a crash leaves bytes of a destroyed document (running it
     * again removes them), never a document gone without its record.
     */
    async execute(input: { id: number; kind: FinalDisposition; agency: string; place: string; note: string }, actor: Actor): Promise<{ proposal: ProposalDetail; report: RetentionReport }> {
      const row = proposalRow(input.id);
      const musnah = input.kind === 'musnah';
      if (musnah && row.state === 'dimusnahkan' && row.report_id !== null) {
        // Already destroyed: only bytes a crash left behind remain to go.
        await removeDestroyedBytes(input.id);
        return { proposal: detail(input.id), report: reportById(row.report_id) };
      }
      expectState(row, ['disetujui'], input.kind);
      refuseHeld(input.id);
      if (musnah) refuseUnsent(input.id);
      const proposal = detail(input.id);
      const at = deps.clock.now();
      const number = nextNumber(musnah ? 'BAPA' : 'BASA', 'retention_reports', 'kind', musnah ? 'berita_acara_pemusnahan' : 'daftar_arsip_statis');
      const doc = disposalReport(deps.reportText, { proposal, number, agency: input.agency, place: input.place, at, executor: { nip: actor.id, nama: nameOf(actor.id) }, approver: proposal.approved ? { nip: proposal.approved.by, nama: nameOf(proposal.approved.by) } : null, reference: deps.reference() });
      const file = await deps.renderReport(doc, 'pdf', `${musnah ? 'berita-acara-pemusnahan' : 'daftar-arsip-statis'}-${number.replaceAll('/', '-')}`);
      const reportId = writeTransaction(db, () => {
        const current = proposalRow(input.id);
        expectState(current, ['disetujui'], input.kind);
        refuseHeld(input.id);
        if (musnah) refuseUnsent(input.id);
        db.prepare(`UPDATE disposal_proposals SET state = ?, executed_by = ?, executed_at = ?, executed_note = ? WHERE id = ?`).run(musnah ? 'dimusnahkan' : 'diserahkan', actor.id, at.toISOString(), input.note, input.id);
        const mark = db.prepare('INSERT INTO document_disposals (document_id, disposition, proposal_id, at, by) VALUES (?, ?, ?, ?, ?)');
        const server = db.prepare('SELECT d.sha256, s.server_id FROM documents d LEFT JOIN document_sync s ON s.document_id = d.id WHERE d.id = ?');
        for (const item of proposal.items) {
          mark.run(item.documentId, musnah ? 'musnah' : 'statis', input.id, at.toISOString(), actor.id);
          // The thumbnail and the OCR text are copies of the content: they go with the marks.
          if (musnah) purgeCopies(item.documentId);
          // The central server knows the document by its own id and its bytes' hash: both go up with the entry.
          const known = server.get(item.documentId) as { sha256: string; server_id: string | null } | undefined;
          deps.audit.append({
            actor: actor.id,
            action: musnah ? 'retention.destroyed' : 'retention.handed_over',
            documentId: item.documentId,
            nip: item.nip,
            detail: { proposalId: input.id, sha256: known?.sha256 ?? item.sha256, serverId: known?.server_id ?? null, ...(known && known.sha256 !== item.sha256 ? { listedSha256: item.sha256 } : {}) },
          });
        }
        const stored = storeReport(musnah ? 'berita_acara_pemusnahan' : 'daftar_arsip_statis', number, file, input.id, actor);
        deps.audit.append({ actor: actor.id, action: musnah ? 'retention.berita_acara' : 'retention.daftar_statis', detail: { proposalId: input.id, reportId: stored, number, documents: proposal.items.length } });
        return stored;
      });
      if (musnah) await removeDestroyedBytes(input.id);
      return { proposal: detail(input.id), report: reportById(reportId) };
    },

    report(id: number): ExportedFile {
      const row = db.prepare('SELECT file_name, pdf FROM retention_reports WHERE id = ?').get(id) as { file_name: string; pdf: Buffer } | undefined;
      if (!row) throw new AppError('not_found', translate('retention.report_not_found', { id }));
      return { fileName: row.file_name, contentType: 'application/pdf', base64: row.pdf.toString('base64') };
    },

    /**
     * The Berita Acara Alih Media of the folders digitized between two dates (inclusive): every
     * folder, or only those of the batch's NIPs. A folder is an employee's: scans without a NIP
     * belong to none and are left out (the report counts them). Each document names the
     * operator who imported it (its document.imported audit entry).
     */
    async alihMedia(input: { from: string; to: string; agency: string; place: string; nips?: string[] }, actor: Actor): Promise<{ report: RetentionReport; file: ExportedFile }> {
      const from = parseIsoDate(input.from);
      const to = parseIsoDate(input.to);
      if (!from || !to || input.from > input.to) throw new AppError('invalid_input', translate('retention.bad_range', { from: input.from, to: input.to }));
      // created_at is UTC; the clerk's days are local.
      const start = new Date(from.y, from.m - 1, from.d).toISOString();
      const end = new Date(to.y, to.m - 1, to.d + 1).toISOString();
      const batch = input.nips ? [...new Set(input.nips)] : null;
      const batchJson = JSON.stringify(batch ?? []);
      if (batch) {
        // Unknown: neither in the employee list nor on any document.
        const unknown = (
          db
            .prepare(
              `SELECT b.value AS nip FROM json_each(?) b
               WHERE NOT EXISTS (SELECT 1 FROM employees e WHERE e.nip = b.value) AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.nip = b.value)
               ORDER BY b.key`,
            )
            .all(batchJson) as { nip: string }[]
        ).map((row) => row.nip);
        if (unknown.length > 0) throw new AppError('invalid_input', translate('retention.alih_unknown_nips', { nips: listed(unknown), count: unknown.length }));
      }
      const inRange = `d.created_at >= @start AND d.created_at < @end AND d.id NOT IN (SELECT document_id FROM document_disposals WHERE disposition = 'musnah')`;
      const documents = db
        .prepare(
          `SELECT x.*, u.nama AS operator_nama FROM (
             SELECT d.id, d.nip, e.nama, d.type_code, d.nomor, d.page_count, d.sha256, d.created_at,
               (SELECT a.actor FROM audit_log a WHERE a.document_id = d.id AND a.action = 'document.imported' ORDER BY a.id LIMIT 1) AS operator_nip
             FROM documents d LEFT JOIN employees e ON e.nip = d.nip
             WHERE ${inRange} AND d.nip IS NOT NULL ${batch ? 'AND d.nip IN (SELECT value FROM json_each(@batch))' : ''}
           ) x LEFT JOIN users u ON u.nip = x.operator_nip
           ORDER BY x.nip, x.id`,
        )
        .all({ start, end, ...(batch ? { batch: batchJson } : {}) }) as (Omit<AlihMediaDocument, 'operator'> & { id: number; operator_nip: string | null; operator_nama: string | null })[];
      const unlabelled = (db.prepare(`SELECT count(*) AS n FROM documents d WHERE ${inRange} AND d.nip IS NULL`).get({ start, end }) as { n: number }).n;
      if (batch) {
        const found = new Set(documents.map((doc) => doc.nip));
        const empty = batch.filter((nip) => !found.has(nip));
        if (empty.length > 0) throw new AppError('conflict', translate('retention.alih_nothing_for_nips', { nips: listed(empty), count: empty.length, from: input.from, to: input.to }));
      }
      if (documents.length === 0) {
        throw new AppError('conflict', unlabelled > 0 ? translate('retention.nothing_labelled', { from: input.from, to: input.to, count: unlabelled }) : translate('retention.nothing_digitized', { from: input.from, to: input.to }));
      }
      const rows: AlihMediaDocument[] = documents.map(({ operator_nip, operator_nama, ...doc }) => ({ ...doc, operator: operator_nip ? { nip: operator_nip, nama: operator_nama ?? operator_nip } : null }));
      const number = nextNumber('BAAM', 'retention_reports', 'kind', 'berita_acara_alih_media');
      const doc = alihMediaReport(deps.reportText, { number, agency: input.agency, place: input.place, from: input.from, to: input.to, at: deps.clock.now(), drawnUpBy: { nip: actor.id, nama: nameOf(actor.id) }, documents: rows, unlabelled, reference: deps.reference() });
      const file = await deps.renderReport(doc, 'pdf', `berita-acara-alih-media-${number.replaceAll('/', '-')}`);
      const id = writeTransaction(db, () => {
        const stored = storeReport('berita_acara_alih_media', number, file, null, actor);
        deps.audit.append({
          actor: actor.id,
          action: 'retention.alih_media',
          detail: { reportId: stored, number, from: input.from, to: input.to, documents: documents.length, unlabelled, ...(batch ? { nips: batch } : {}) },
        });
        return stored;
      });
      return { report: reportById(id), file };
    },
  };

  /**
   * Removes what of a destroyed document's content the database holds besides its bytes: the
   * thumbnail, the OCR text (and its job, so the reader never takes the document up again),
   * and the words of that text in the search index (the update rebuilds the document's entry
   * from its metadata, which stays). Runs in the destruction's transaction; again, harmlessly,
   * when a destruction is finished after a crash.
   */
  function purgeCopies(documentId: number): void {
    db.prepare('DELETE FROM thumbnails WHERE document_id = ?').run(documentId);
    db.prepare('DELETE FROM ocr_pages WHERE document_id = ?').run(documentId);
    db.prepare('DELETE FROM ocr_jobs WHERE document_id = ?').run(documentId);
    // documents_fts_update rebuilds the entry on an update of notes, whatever its value (as main/core/pages does).
    db.prepare('UPDATE documents SET notes = notes WHERE id = ?').run(documentId);
  }

  /**
   * Every blob a document points at or has pointed at: its bytes now and when it was listed,
   * the original kept before an optimization, an optimizer proposal, and the earlier versions
   * the page tools and the optimizer left (their audit entries name them).
   */
  function blobsOf(documentIds: readonly number[]): Map<number, Set<string>> {
    const byDoc = new Map<number, Set<string>>(documentIds.map((id) => [id, new Set<string>()]));
    const add = (id: number, sha: unknown) => {
      if (typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha)) byDoc.get(id)?.add(sha);
    };
    const wanted = documentIds.map(() => '?').join(', ');
    const rows = db
      .prepare(
        `SELECT id, sha256 FROM documents WHERE id IN (${wanted})
         UNION ALL SELECT document_id, sha256 FROM disposal_items WHERE document_id IN (${wanted})
         UNION ALL SELECT document_id, sha256 FROM document_originals WHERE document_id IN (${wanted})
         UNION ALL SELECT document_id, sha256 FROM optimize_proposals WHERE document_id IN (${wanted})
         UNION ALL SELECT document_id, source_sha256 FROM optimize_proposals WHERE document_id IN (${wanted})`,
      )
      .all(...documentIds, ...documentIds, ...documentIds, ...documentIds, ...documentIds) as { id: number; sha256: string }[];
    for (const row of rows) add(row.id, row.sha256);
    for (const entry of historyEntries(`document_id IN (${wanted})`, documentIds)) for (const sha of entry.shas) add(entry.documentId, sha);
    return byDoc;
  }

  /** The blobs the page tools' and the optimizer's audit entries name, per document. */
  function historyEntries(filter: string, params: readonly number[], actions: readonly string[] = HISTORY_ACTIONS): { documentId: number; shas: unknown[] }[] {
    const marks = actions.map(() => '?').join(', ');
    const rows = db
      .prepare(`SELECT document_id, action, detail FROM audit_log WHERE action IN (${marks}) AND document_id IS NOT NULL AND ${filter}`)
      .all(...actions, ...params) as { document_id: number; action: string; detail: string | null }[];
    return rows.map((row) => {
      const detail = JSON.parse(row.detail ?? '{}') as { previousSha256?: unknown; sha256?: unknown; from?: unknown };
      const shas: unknown[] = [detail.previousSha256, detail.sha256];
      if (typeof detail.from === 'string') shas.push(detail.from);
      if (Array.isArray(detail.from)) for (const part of detail.from as { sha256?: unknown }[]) shas.push(part?.sha256);
      return { documentId: row.document_id, shas };
    });
  }

  /**
   * Removes the bytes of a destroyed proposal's documents that no surviving document shares
   * (as its bytes, a held original, a proposal, or an earlier version of its own), then the
   * rows that named the removed originals and proposals. The rows go last so that a crash in
   * between leaves them for the next run to find.
   */
  async function removeDestroyedBytes(proposalId: number): Promise<void> {
    const ids = (db.prepare('SELECT document_id FROM disposal_items WHERE proposal_id = ? ORDER BY document_id').all(proposalId) as { document_id: number }[]).map((row) => row.document_id);
    if (ids.length === 0) return;
    writeTransaction(db, () => ids.forEach(purgeCopies));
    const candidates = new Set([...blobsOf(ids).values()].flatMap((shas) => [...shas]));
    const live = `d.id NOT IN (SELECT document_id FROM document_disposals WHERE disposition = 'musnah')`;
    const used = db.prepare(
      `SELECT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = @sha AND ${live})
           OR EXISTS (SELECT 1 FROM document_originals o JOIN documents d ON d.id = o.document_id WHERE o.sha256 = @sha AND o.released_at IS NULL AND ${live})
           OR EXISTS (SELECT 1 FROM optimize_proposals p JOIN documents d ON d.id = p.document_id WHERE p.sha256 = @sha AND ${live}) AS used`,
    );
    // Earlier versions of a surviving document's pages stay: they are its original until the server has the edit.
    const history = new Set(
      historyEntries(`document_id IN (SELECT d.id FROM documents d WHERE ${live})`, [], PAGE_ACTIONS)
        .flatMap((entry) => entry.shas)
        .filter((sha): sha is string => typeof sha === 'string'),
    );
    for (const sha of candidates) if (!history.has(sha) && (used.get({ sha }) as { used: number }).used === 0) await deps.removeBlob(sha);
    const wanted = ids.map(() => '?').join(', ');
    writeTransaction(db, () => {
      db.prepare(`DELETE FROM document_originals WHERE document_id IN (${wanted})`).run(...ids);
      db.prepare(`DELETE FROM optimize_proposals WHERE document_id IN (${wanted})`).run(...ids);
    });
  }
}

export type RetentionService = ReturnType<typeof createRetention>;
export { loadJraSchedule, RETENTION_FILE } from './schedule';
export { reportText, type ReportText } from './reports';
