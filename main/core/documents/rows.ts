// How a documents row (joined with its employee) becomes the contract's summary.
import type { DocumentState, DocumentSummary, ReviewState } from '../../../common/contract';

/** Select list for a summary; expects `documents d LEFT JOIN employees e ON e.nip = d.nip`. */
export const DOCUMENT_SUMMARY_COLUMNS =
  'd.id, d.original_name, d.size, d.page_count, d.source_kind, d.nip, e.nama, d.type_code, d.nomor, d.tanggal, d.state, d.created_at, d.updated_at, e.unit_kerja' +
  // Verification (issue 7): subqueries, not a join, so every FROM clause using this list stays as it is.
  ', (SELECT r.state FROM document_review r WHERE r.document_id = d.id) AS review, (SELECT r.reason FROM document_review r WHERE r.document_id = d.id) AS review_reason';

export interface DocumentRow {
  id: number;
  original_name: string;
  size: number;
  page_count: number;
  source_kind: DocumentSummary['sourceKind'];
  nip: string | null;
  nama: string | null;
  type_code: string | null;
  nomor: string | null;
  tanggal: string | null;
  state: DocumentState;
  created_at: string;
  updated_at: string;
  unit_kerja: string | null;
  review: ReviewState | null;
  review_reason: string | null;
}

export function documentSummaryFrom(row: DocumentRow): DocumentSummary {
  return {
    id: row.id,
    originalName: row.original_name,
    size: row.size,
    pageCount: row.page_count,
    sourceKind: row.source_kind,
    nip: row.nip,
    nama: row.nama,
    typeCode: row.type_code,
    nomor: row.nomor,
    tanggal: row.tanggal,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    review: row.review,
    reviewReason: row.review === 'rejected' ? row.review_reason : null,
  };
}
