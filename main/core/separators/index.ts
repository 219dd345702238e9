// Separator sheets: printing them for an employee (by default one per document the
// completeness checklist says is missing), and splitting a scanned stack at them on
// import (detection on a worker thread, pool.ts). The capture pipeline calls splitStack;
// the contract's separators.print calls print.

import type { EmployeeCompleteness } from '../../../common/completeness';
import type { ExportedFile } from '../../../common/contract';
import type { CalendarDate } from '../../../common/dates';
import { checkFields, type ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import { pick, type Locale } from '../../../common/i18n';
import { checkAnyNip } from '../../../common/nip';
import type { Db } from '../../infra/db';
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
 * are valid, and ready at once only when the type asks for no further fields (a DRH);
 * otherwise a draft waiting for the clerk to fill nomor, tanggal and the rest.
 */
export function labelFromSheet(
  sheet: SeparatorLabel,
  reference: Pick<ReferenceData, 'documentTypes' | 'fields' | 'golongan'>,
  today: CalendarDate,
): { nip: string | null; typeCode: string | null; state: 'draft' | 'ready' } {
  const nipCheck = checkAnyNip(sheet.nip, today);
  const nip = nipCheck.ok ? nipCheck.nip : null;
  const type = reference.documentTypes.find((t) => t.code === sheet.typeCode);
  const complete = nip !== null && type !== undefined && checkFields(type, {}, reference, today).length === 0;
  return { nip, typeCode: type?.code ?? null, state: complete ? 'ready' : 'draft' };
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

  /** One type per missing document: an item expecting three rank SKs and holding one gives two. */
  function missingTypes(nip: string): string[] {
    return deps
      .completeness.employee(nip)
      .items.filter((item) => item.status === 'missing' || item.status === 'rejected')
      .flatMap((item) => Array.from({ length: Math.max(1, item.expected - item.held) }, () => item.types[0]));
  }

  return {
    async print(input: { nip: string; typeCodes?: string[] }): Promise<ExportedFile> {
      const employee = selectEmployee.get(input.nip);
      if (!employee) throw new AppError('not_found', translate('employees.not_found', { nip: input.nip }));
      const types = deps.reference().documentTypes;
      const codes = input.typeCodes ?? missingTypes(input.nip);
      if (codes.length === 0) throw new AppError('invalid_input', translate('separators.nothing_missing'));
      if (codes.length > MAX_SHEETS) throw new AppError('invalid_input', translate('separators.too_many', { max: MAX_SHEETS }));
      const specs: SheetSpec[] = codes.map((code) => {
        const type = types.find((t) => t.code === code);
        if (!type) throw new AppError('invalid_input', translate('documents.unknown_type', { code }));
        return { nip: input.nip, typeCode: code, nama: employee.nama, typeName: pick(type.name, deps.locale()) };
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
