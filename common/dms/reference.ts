// Reference data of an instansi: its employees (imported by its admin from SIASN-like
// records) and its document types (the shipped list, plus types its admin adds or changes),
// each readable as a change feed. Also the feed shape every synced list of the API uses:
// `since` a cursor, answer the changed items in order and the cursor to ask with next.
import { z } from 'zod';
import { Employee } from '../contract';
import { DocumentType, FieldDef, Localized } from '../doctypes';
import { routes } from './route';

const XID_MAX = 2n ** 64n - 1n;
const SEQ_MAX = 2n ** 63n - 1n;

/**
 * A feed's cursor: opaque to clients, who pass back the `next` of the page they last read;
 * `0` reads from the beginning. (It is `<transaction id>.<sequence>`; see
 * server/reference/feed.ts for why.)
 */
export const Cursor = z
  .string()
  .regex(/^\d{1,20}(\.\d{1,19})?$/, 'a cursor is the `next` of an earlier page, or 0')
  .refine((cursor) => {
    // Zod runs refinements after a failed regex too: look at digits only.
    const [xid, seq = '0'] = cursor.split('.');
    return /^\d+$/.test(xid) && /^\d+$/.test(seq) && BigInt(xid) <= XID_MAX && BigInt(seq) <= SEQ_MAX;
  }, 'a cursor is the `next` of an earlier page, or 0');

/** A change feed's query: the cursor of the last page read (0 for everything) and a page size. */
export const ChangesQuery = z.strictObject({
  since: Cursor.default('0'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ChangesQuery = z.infer<typeof ChangesQuery>;

/**
 * A page of a change feed. `next` is the cursor to pass as `since` for the following page
 * (equal to `since` when nothing changed); `more` says whether a full page stopped short of
 * the end. An item changed twice appears once, at its latest change. A change appears once
 * its transaction and every older one still running have ended, never out of order.
 */
export function changesOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next: Cursor, more: z.boolean() });
}

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** One employee as an admin imports it; `nip` is checked by the NIP rules of its kind. */
export const EmployeeInput = z.strictObject({
  nip: z.string().min(1).max(40),
  kind: z.enum(['pns', 'pppk']).default('pns'),
  nama: z.string().trim().min(1).max(200),
  tempatLahir: optionalText(100),
  /** Must be the birth date the NIP carries. */
  tanggalLahir: IsoDate.nullable().optional(),
  /** A golongan code of the reference data (III/a, IX). */
  golongan: optionalText(10),
  jabatan: optionalText(300),
  unitKerja: optionalText(300),
  /** A SIASN kedudukan hukum code (01, 99). */
  kedudukanHukum: optionalText(2),
});
export type EmployeeInput = z.input<typeof EmployeeInput>;

export const MAX_EMPLOYEES_PER_IMPORT = 5000;

/** The workstation's Employee, as the server holds it: the sync writes it as is. */
export const DmsEmployee = Employee;
export type DmsEmployee = z.infer<typeof DmsEmployee>;

/** A document type of the instansi; `custom` when its admin added or changed it. */
export const DmsDocumentType = DocumentType.extend({ custom: z.boolean(), updatedAt: z.string() });
export type DmsDocumentType = z.infer<typeof DmsDocumentType>;

const StrictLocalized = z.strictObject(Localized.shape);
const { idRefDokumen, jenisRiwayat, category, maxBytes, aliases } = DocumentType.shape;

/** A document type as its admin writes it (the code is in the path). Unknown keys are refused at every level. */
export const DocumentTypeInput = z.strictObject({
  name: StrictLocalized,
  idRefDokumen,
  jenisRiwayat,
  category,
  fields: z.array(z.strictObject(DocumentType.shape.fields.element.shape)).max(30),
  maxBytes,
  aliases: aliases.max(30),
});
export type DocumentTypeInput = z.infer<typeof DocumentTypeInput>;

const DocumentTypeCode = z.strictObject({ code: DocumentType.shape.code.max(64) });

export const referenceRoutes = routes({
  'reference.listEmployees': {
    method: 'GET',
    path: '/v1/reference/employees',
    summary: 'Employees of the caller\'s instansi changed since a cursor (any role).',
    tag: 'reference',
    access: 'user',
    query: ChangesQuery,
    response: changesOf(DmsEmployee),
  },
  'reference.importEmployees': {
    method: 'POST',
    path: '/v1/reference/employees',
    summary:
      'Upserts employees of the instansi (admin). All or nothing: one invalid record refuses the batch with invalid_input and `details.rejected` [{ index, nip, reason }].',
    tag: 'reference',
    access: 'admin',
    body: z.strictObject({ employees: z.array(EmployeeInput).min(1).max(MAX_EMPLOYEES_PER_IMPORT) }),
    response: z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
  },
  'reference.listDocumentTypes': {
    method: 'GET',
    path: '/v1/reference/document-types',
    summary: 'Document types of the caller\'s instansi changed since a cursor, with the field definitions they refer to (any role).',
    tag: 'reference',
    access: 'user',
    query: ChangesQuery,
    response: changesOf(DmsDocumentType).extend({ fields: z.record(z.string(), FieldDef) }),
  },
  'reference.putDocumentType': {
    method: 'PUT',
    path: '/v1/reference/document-types/:code',
    summary: 'Adds or replaces a document type of the instansi (admin); its field keys must be known field definitions.',
    tag: 'reference',
    access: 'admin',
    params: DocumentTypeCode,
    body: DocumentTypeInput,
    response: z.object({ documentType: DmsDocumentType }),
  },
});
