// What the Kelengkapan view hands out on paper and in files: the gap list of a unit (or the
// whole office), every employee whose folder is incomplete with the archives they still
// lack, as XLSX or PDF; the picking list, a PDF to tick off while pulling folders from the
// shelves; and the daily progress of the office's or a unit's score, kept as one snapshot a
// day (migrations 013 and 018, taken by main/core/completeness) because the stored scores
// only ever say how things stand now.

import type { CompletenessRules } from '../../../common/completeness';
import type { ExportedFile, ExportFormat } from '../../../common/contract';
import type { ReferenceData } from '../../../common/doctypes';
import { pick, type Locale } from '../../../common/i18n';
import type { Db } from '../../infra/db';
import { CHECKBOX, exportReport, fileStem, localDate, type ReportDoc, type ReportTable } from '../../infra/reports';
import type { Clock, Translate } from '../ports';
import { perEmployeeParams, perEmployeeSql, type CompletenessService } from './index';

/** The person the export is made by: named under "Petugas arsip" on paper, and in the audit log. */
export interface Operator {
  nip: string;
  nama: string;
}

export interface CompletenessExportDeps {
  db: Db;
  clock: Clock;
  translate: Translate;
  locale: () => Locale;
  rules: () => CompletenessRules;
  reference: () => ReferenceData;
  completeness: CompletenessService;
  /** The agency named on every page. */
  agency: () => string;
  /** The city of the place-and-date line, when the office set one. */
  city: () => string | null;
  audit: { append(entry: { actor: string; action: string; detail?: unknown }): number };
}

export type PickingOrder = 'unit' | 'queue';

export interface ProgressDay {
  day: string;
  employees: number;
  averageScore: number;
  lengkap: number;
  lengkapShare: number;
}

/** One employee with a gap, and what is missing by item. */
interface GapRow {
  nip: string;
  nama: string;
  unitKerja: string | null;
  score: number;
  missing: number;
  items: string[];
}

const ORDERS: Record<PickingOrder | 'gaps', string> = {
  gaps: 'ORDER BY unit_kerja IS NULL, unit_kerja, nama, nip',
  unit: 'ORDER BY unit_kerja IS NULL, unit_kerja, nama, nip',
  // The work queue's order (main/core/completeness): what raises the score most first.
  queue: 'ORDER BY score ASC, missing DESC, nip ASC',
};
/** The longest a progress chart reaches back. */
export const PROGRESS_MAX_DAYS = 366;

export function createCompletenessExport(deps: CompletenessExportDeps) {
  const { db, translate } = deps;

  /** Every employee of the scope with a gap, each with the items they lack in the report's language. */
  function gapRows(unitKerja: string | undefined, order: keyof typeof ORDERS): GapRow[] {
    const rules = deps.rules();
    const scoped = unitKerja !== undefined;
    const filter = scoped ? { documents: 'nip IN (SELECT nip FROM employees WHERE unit_kerja = ?)', employees: 'e.unit_kerja = ?' } : { documents: '1', employees: '1' };
    const sql = `SELECT * FROM (${perEmployeeSql(rules, deps.reference(), filter)}) WHERE missing > 0 ${ORDERS[order]}`;
    const rows = db.prepare(sql).all(...(scoped ? perEmployeeParams(unitKerja) : [])) as Record<string, string | number | null>[];
    const locale = deps.locale();
    return rows.map((row) => ({
      nip: row.nip as string,
      nama: row.nama as string,
      unitKerja: row.unit_kerja as string | null,
      score: row.score as number,
      missing: row.missing as number,
      items: rules.rules.flatMap((rule, i) => {
        const expected = (row[`x${i}`] as number | null) ?? 0;
        const held = row[`h${i}`] as number;
        if (expected <= held) return [];
        const label = pick(rule.label, locale);
        const counted = expected - held > 1 ? translate('completeness.item_count', { label, count: expected - held }) : label;
        return [(row[`r${i}`] as number) > 0 ? translate('completeness.item_rejected', { label: counted }) : counted];
      }),
    }));
  }

  /** The report's language as a BCP 47 tag for dates and numbers. */
  function tag(): string {
    return deps.locale() === 'id' ? 'id-ID' : 'en-GB';
  }

  function longDate(at: Date): string {
    return at.toLocaleDateString(tag(), { day: 'numeric', month: 'long', year: 'numeric' });
  }

  /** The header facts, the date line and the signature every completeness report carries. */
  function frame(unitKerja: string | undefined, operator: Operator, rows: GapRow[], title: string, extraFacts: [string, string][]): Omit<ReportDoc, 'tables'> {
    const now = deps.clock.now();
    const total = deps.completeness.summary(unitKerja === undefined ? {} : { unitKerja }).total;
    return {
      agency: deps.agency(),
      title,
      subtitle: unitKerja === undefined ? translate('completeness.scope_office') : translate('completeness.scope_unit', { unit: unitKerja }),
      facts: [
        [translate('completeness.fact_date'), longDate(now)],
        [translate('completeness.fact_employees'), translate('completeness.fact_employees_value', { gaps: rows.length, employees: total.employees })],
        [translate('completeness.fact_average'), total.averageScore.toLocaleString(tag(), { minimumFractionDigits: 1, maximumFractionDigits: 1 })],
        ...extraFacts,
      ],
      paragraphs: rows.length === 0 ? [translate('completeness.gaps_none')] : [],
      placeDate: [deps.city(), longDate(now)].filter(Boolean).join(', '),
      signatures: [{ role: translate('completeness.sign_clerk'), name: operator.nama, nip: operator.nip }],
      generatedAt: now,
      generatedLabel: translate('report.generated', { time: now.toLocaleString(tag()) }),
      pageLabel: (page, pages) => translate('report.page', { page, pages }),
    };
  }

  function unitText(unitKerja: string | null): string {
    return unitKerja ?? translate('completeness.no_unit');
  }

  function fileName(kind: string, unitKerja: string | undefined, format: ExportFormat): string {
    return `${kind}-${unitKerja === undefined ? 'kantor' : fileStem(unitKerja)}-${localDate(deps.clock.now())}.${format}`;
  }

  function audited(operator: Operator, kind: string, unitKerja: string | undefined, format: ExportFormat, rows: number, file: ExportedFile): ExportedFile {
    deps.audit.append({ actor: operator.nip, action: 'completeness.exported', detail: { kind, unitKerja: unitKerja ?? null, format, rows, fileName: file.fileName } });
    return file;
  }

  /**
   * The office's (or a unit's) score and share Lengkap for the last `days` days that have a
   * point, oldest first, today included: today's is taken now if nothing took it yet (a
   * day's point is the last office or unit summary computed that day, main/core/completeness).
   */
  function progress(input: { days: number; unitKerja?: string }): { days: ProgressDay[] } {
    deps.completeness.dailySnapshot();
    const now = deps.clock.now();
    const from = localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (Math.min(input.days, PROGRESS_MAX_DAYS) - 1)));
    const rows = (
      input.unitKerja === undefined
        ? db.prepare('SELECT day, employees, average_score, lengkap FROM completeness_daily WHERE day >= ? ORDER BY day').all(from)
        : db.prepare('SELECT day, employees, average_score, lengkap FROM completeness_daily_units WHERE unit_kerja = ? AND day >= ? ORDER BY day').all(input.unitKerja, from)
    ) as { day: string; employees: number; average_score: number; lengkap: number }[];
    return {
      days: rows.map((row) => ({
        day: row.day,
        employees: row.employees,
        averageScore: row.average_score,
        lengkap: row.lengkap,
        lengkapShare: row.employees === 0 ? 0 : row.lengkap / row.employees,
      })),
    };
  }

  return {
    /** The gap list: who lacks what, by unit and name. */
    async gapList(input: { unitKerja?: string; format: ExportFormat }, operator: Operator): Promise<ExportedFile> {
      const rows = gapRows(input.unitKerja, 'gaps');
      const column = (key: 'no' | 'nip' | 'nama' | 'unit' | 'score' | 'missing' | 'items') => translate(`completeness.col_${key}`);
      const table: ReportTable = {
        columns: [column('no'), column('nip'), column('nama'), column('unit'), column('score'), column('missing'), column('items')],
        // An 18-digit NIP and the short headers fit on one line at the PDF's table size.
        widths: [0.9, 3.3, 3, 2.4, 1.1, 1.3, 4.5],
        rows: rows.map((row, i) => [i + 1, row.nip, row.nama, unitText(row.unitKerja), row.score, row.missing, row.items.join('; ')]),
      };
      const doc = { ...frame(input.unitKerja, operator, rows, translate('completeness.gaps_title'), []), tables: [table] };
      const file = await exportReport(doc, input.format, fileName('kekurangan-berkas', input.unitKerja, input.format));
      return audited(operator, 'gaps', input.unitKerja, input.format, rows.length, file);
    },

    /** The picking list: a box to tick per folder, in shelf order (unit, name) or the work queue's. */
    async pickingList(input: { unitKerja?: string; order: PickingOrder }, operator: Operator): Promise<ExportedFile> {
      const rows = gapRows(input.unitKerja, input.order);
      const column = (key: 'taken' | 'no' | 'nip' | 'nama' | 'unit' | 'items' | 'note') => translate(`completeness.col_${key}`);
      const table: ReportTable = {
        columns: [column('taken'), column('no'), column('nip'), column('nama'), column('unit'), column('items'), column('note')],
        widths: [1.1, 0.9, 3.3, 3, 2.4, 4.1, 1.7],
        rows: rows.map((row, i) => [CHECKBOX, i + 1, row.nip, row.nama, unitText(row.unitKerja), row.items.join('; '), '']),
      };
      const order: [string, string] = [translate('completeness.fact_order'), translate(`completeness.order_${input.order}`)];
      const base = frame(input.unitKerja, operator, rows, translate('completeness.picking_title'), [order]);
      const doc: ReportDoc = {
        ...base,
        paragraphs: [...(base.paragraphs ?? []), ...(rows.length > 0 ? [translate('completeness.picking_hint')] : [])],
        signatures: [{ role: translate('completeness.sign_picker') }, ...(base.signatures ?? [])],
        tables: [table],
      };
      const file = await exportReport(doc, 'pdf', fileName('daftar-ambil-berkas', input.unitKerja, 'pdf'));
      return audited(operator, 'picking', input.unitKerja, 'pdf', rows.length, file);
    },

    progress,
  };
}

export type CompletenessExport = ReturnType<typeof createCompletenessExport>;
