// Document types (jenis dokumen) and the fields each requires are data
// (resources/document-types.json): this module only knows their shape and how to check a
// label against them, so a new type or field needs no code change.

import { z } from 'zod';
import { parseIsoDate, compareDates, type CalendarDate } from './dates';

export const Localized = z.object({ id: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof Localized>;

export const FieldDef = z.object({
  label: Localized,
  kind: z.enum(['text', 'date', 'year', 'number', 'select']),
  /** For kind 'select': the allowed values, or the name of a reference list ('golongan'). */
  options: z.union([z.array(z.string()), z.literal('golongan')]).optional(),
  /** Dates that may not lie in the future (an SK date, a TMT is allowed ahead). */
  notFuture: z.boolean().optional(),
  maxLength: z.number().int().positive().optional(),
});
export type FieldDef = z.infer<typeof FieldDef>;

export const DocumentType = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  name: Localized,
  /** SIASN id_ref_dokumen where known; null while unconfirmed. */
  idRefDokumen: z.number().int().nullable(),
  /** SIASN jenis riwayat (history record kind) the document belongs to, if any. */
  jenisRiwayat: z.number().int().nullable(),
  category: z.enum(['utama', 'kondisional', 'pendukung']),
  fields: z.array(z.object({ key: z.string().regex(/^[a-z][a-z0-9_]*$/), required: z.boolean() })),
  /** Size budget in bytes (issue 6): a conservative default, see ReferenceData.sizeBudget. */
  maxBytes: z.number().int().positive(),
  /** Words in a file name that point at this type ("sk pns", "ijazah"). */
  aliases: z.array(z.string().min(2)),
});
export type DocumentType = z.infer<typeof DocumentType>;

export const Golongan = z.object({ code: z.string(), id: z.number().int().nullable(), pangkat: z.string().nullable(), kind: z.enum(['pns', 'pppk']) });
export type Golongan = z.infer<typeof Golongan>;

export const KedudukanHukum = z.object({ code: z.string(), name: z.string() });
export type KedudukanHukum = z.infer<typeof KedudukanHukum>;

/**
 * Size budget (issue 6): BKN's limits are not public, so the shipped numbers are conservative
 * defaults; `note` says where an office changes them. A type's own maxBytes wins.
 */
export const SizeBudget = z.object({ defaultMaxBytes: z.number().int().positive(), note: z.string() });
export type SizeBudget = z.infer<typeof SizeBudget>;
/** Used when reference data carries no sizeBudget (an older profile override). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** The budget of a document of `typeCode` (null: not labelled yet). */
export function maxBytesOf(data: Pick<ReferenceData, 'documentTypes' | 'sizeBudget'>, typeCode: string | null): number {
  return data.documentTypes.find((type) => type.code === typeCode)?.maxBytes ?? data.sizeBudget?.defaultMaxBytes ?? DEFAULT_MAX_BYTES;
}

export const ReferenceData = z.object({
  version: z.string(),
  sizeBudget: SizeBudget.optional(),
  fields: z.record(z.string(), FieldDef),
  documentTypes: z.array(DocumentType),
  golongan: z.array(Golongan),
  kedudukanHukum: z.array(KedudukanHukum),
});
export type ReferenceData = z.infer<typeof ReferenceData>;

/** Checks cross-references inside reference data that a schema cannot: field keys, unique codes. */
export function referenceDataProblems(data: ReferenceData): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const type of data.documentTypes) {
    if (seen.has(type.code)) problems.push(`duplicate document type code ${type.code}`);
    seen.add(type.code);
    for (const field of type.fields) {
      if (!data.fields[field.key]) problems.push(`${type.code}: unknown field ${field.key}`);
    }
  }
  return problems;
}

export type FieldProblem =
  | { key: string; reason: 'required' }
  | { key: string; reason: 'date' }
  | { key: string; reason: 'future' }
  | { key: string; reason: 'year' }
  | { key: string; reason: 'number' }
  | { key: string; reason: 'option' }
  | { key: string; reason: 'too_long'; max: number };

/** The allowed values of a select field. */
export function fieldOptions(def: FieldDef, data: Pick<ReferenceData, 'golongan'>): string[] {
  if (def.options === 'golongan') return data.golongan.map((g) => g.code);
  return def.options ?? [];
}

/** Checks a label's field values against its type; values are trimmed strings, '' = empty. */
export function checkFields(
  type: DocumentType,
  values: Record<string, string>,
  data: Pick<ReferenceData, 'fields' | 'golongan'>,
  today: CalendarDate,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const { key, required } of type.fields) {
    const def = data.fields[key];
    const value = (values[key] ?? '').trim();
    if (value === '') {
      if (required) problems.push({ key, reason: 'required' });
      continue;
    }
    if (!def) continue;
    const max = def.maxLength ?? 200;
    if (value.length > max) {
      problems.push({ key, reason: 'too_long', max });
      continue;
    }
    switch (def.kind) {
      case 'date': {
        const date = parseIsoDate(value);
        if (!date) problems.push({ key, reason: 'date' });
        else if (def.notFuture && compareDates(date, today) > 0) problems.push({ key, reason: 'future' });
        break;
      }
      case 'year': {
        const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
        if (!(year >= 1900 && year <= today.y + 1)) problems.push({ key, reason: 'year' });
        break;
      }
      case 'number':
        if (!/^\d+([.,]\d+)?$/.test(value)) problems.push({ key, reason: 'number' });
        break;
      case 'select':
        if (!fieldOptions(def, data).includes(value)) problems.push({ key, reason: 'option' });
        break;
      case 'text':
        break;
    }
  }
  return problems;
}
