// Separator sheets: printing them for an employee (by default one per document the
// completeness checklist says is missing), and splitting a scanned stack at them on
// import (detection on a worker thread, pool.ts). The capture pipeline calls splitStack;
// the contract's separators.print calls print.

import { wantedSheets, type EmployeeCompleteness, type WantedSheet } from '../../../common/completeness';
import type { ExportedFile } from '../../../common/contract';
import type { CalendarDate } from '../../../common/dates';
import { checkFields, type ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import { pick, type Locale } from '../../../common/i18n';
import { checkAnyNip } from '../../../common/nip';
import type { HistoryRecord } from '../../../common/history';
import type { Db } from '../../infra/db';
import { recordLabel } from '../completeness';
import { historyOf, labelFieldsOf, recordOfSheetRef, sheetRefOf } from '../history';
import type { Translate } from '../ports';
import type { SeparatorLabel } from './format';
import { createDetectPool, type DetectPool } from './pool';
import { separatorSheetsPdf, type SheetSpec } from './sheet';
import { buildParts, planSplit, type SplitPart } from './split';

export { encodeSeparator, parseSeparator, type SeparatorLabel } from './format';
export { detectSeparators, findSeparator, DETECT_DPI, type DetectStats } from './detect';
export { createDetectPool, DetectTimeout, type DetectPool } from './pool';
export { separatorSheetsPdf, type SheetSpec } from './sheet';
export { planSplit, buildParts, type SplitPart, type StackPart } from './split';

let sharedPool: DetectPool | null = null;

/** The one detection worker of this process, started on first use (pool.ts); idle, it does not keep the process alive. */
function pool(): DetectPool {
  sharedPool ??= createDetectPool();
  return sharedPool;
}

export interface SplitOptions {
  /** The separatorSheets setting (off until sheets are printed or an admin turns it on): false imports every file whole, unsearched. */
  enabled?: boolean;
  /** Detection that failed (a timeout, a crashed worker): the stack imports whole, and this says why. */
  onProblem?: (message: string, error: unknown) => void;
}

/** The documents a stack holds, or null when it has no sheet (and imports whole, as before). */
export async function splitStack(pdf: Uint8Array, pageCount: number, options: SplitOptions = {}): Promise<SplitPart[] | null> {
  // A single page cannot be a sheet with a document behind it: not searched at all, so
  // one-page scans import as fast as they did.
  if (options.enabled === false || pageCount < 2) return null;
  let marks;
  try {
    marks = await pool().detect(pdf, pageCount);
  } catch (error) {
    // Detection is a convenience: a stack it cannot search is still the clerk's file.
    options.onProblem?.('separator detection failed; the file is imported whole', error);
    return null;
  }
  const plan = planSplit(marks);
  return plan ? buildParts(pdf, plan) : null;
}

/**
 * The label a sheet gives its document, by the labelling rules: NIP and type set when they
 * are valid, and the fields of the history record the sheet names (what SIASN says the SK
 * holds). Ready at once only when the type asks for no fields at all (a DRH); otherwise a
 * draft, so the clerk confirms the record's values against the page and fills the rest.
 */
export function labelFromSheet(
  sheet: SeparatorLabel,
  reference: Pick<ReferenceData, 'documentTypes' | 'fields' | 'golongan'>,
  today: CalendarDate,
  historyOfNip: (nip: string) => readonly HistoryRecord[] = () => [],
): { nip: string | null; typeCode: string | null; state: 'draft' | 'ready'; fields: Record<string, string> } {
  const nipCheck = checkAnyNip(sheet.nip, today);
  const nip = nipCheck.ok ? nipCheck.nip : null;
  const type = reference.documentTypes.find((t) => t.code === sheet.typeCode);
  const complete = nip !== null && type !== undefined && checkFields(type, {}, reference, today).length === 0;
  const record = nip !== null && type !== undefined && sheet.historyRef !== undefined ? recordOfSheetRef(historyOfNip(nip), sheet.historyRef) : null;
  const fields = record && type ? labelFieldsOf(record, type, reference, today) : {};
  return { nip, typeCode: type?.code ?? null, state: complete ? 'ready' : 'draft', fields };
}

export interface SeparatorsDeps {
  db: Db;
  translate: Translate;
  locale: () => Locale;
  reference: () => ReferenceData;
  completeness: { employee(nip: string): EmployeeCompleteness };
}

/** Most sheets one print may hold: a thick folder, not a runaway loop. */
export const MAX_SHEETS = 200;

export function createSeparators(deps: SeparatorsDeps) {
  const { db, translate } = deps;
  const selectEmployee = db.prepare<[string], { nama: string }>('SELECT nama FROM employees WHERE nip = ?');

  /** The sheets the checklist's missing items call for: all of them, or those of the items named by rule key. */
  function missingSheets(nip: string, itemKeys?: readonly string[]): WantedSheet[] {
    const items = deps.completeness.employee(nip).items;
    for (const key of itemKeys ?? []) if (!items.some((item) => item.key === key)) throw new AppError('invalid_input', translate('separators.unknown_item', { key }));
    return items.filter((item) => itemKeys === undefined || itemKeys.includes(item.key)).flatMap(wantedSheets);
  }

  return {
    async print(input: { nip: string; typeCodes?: string[]; items?: string[] }): Promise<ExportedFile> {
      const employee = selectEmployee.get(input.nip);
      if (!employee) throw new AppError('not_found', translate('employees.not_found', { nip: input.nip }));
      const types = deps.reference().documentTypes;
      const wanted = input.typeCodes?.map((typeCode) => ({ typeCode, historyId: null })) ?? missingSheets(input.nip, input.items);
      if (wanted.length === 0) throw new AppError('invalid_input', translate('separators.nothing_missing'));
      if (wanted.length > MAX_SHEETS) throw new AppError('invalid_input', translate('separators.too_many', { max: MAX_SHEETS }));
      const records = new Map(historyOf(db, input.nip).map((record) => [record.id, record]));
      const specs: SheetSpec[] = wanted.map(({ typeCode, historyId }) => {
        const type = types.find((t) => t.code === typeCode);
        if (!type) throw new AppError('invalid_input', translate('documents.unknown_type', { code: typeCode }));
        const spec: SheetSpec = { nip: input.nip, typeCode, nama: employee.nama, typeName: pick(type.name, deps.locale()) };
        // A sheet for one history record names it, in the QR code and in words.
        const record = historyId === null ? undefined : records.get(historyId);
        const historyRef = record && sheetRefOf(record);
        return record && historyRef ? { ...spec, historyRef, historyLabel: recordLabel(record) } : spec;
      });
      const pdf = await separatorSheetsPdf(specs, {
        banner: translate('separators.banner'),
        nip: 'NIP',
        nama: translate('separators.nama'),
        type: translate('separators.type'),
        historyRef: translate('separators.history'),
        instruction: translate('separators.instruction'),
      });
      return { fileName: `lembar-pemisah-${input.nip}.pdf`, contentType: 'application/pdf', base64: Buffer.from(pdf).toString('base64') };
    },
  };
}

export type SeparatorsService = ReturnType<typeof createSeparators>;
