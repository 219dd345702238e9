// Report rendering: a ReportDoc (types.ts) becomes the file the clerk saves, as a PDF
// (pdf.ts), its tables as XLSX (xlsx.ts) or as CSV (csv.ts), handed to the UI as an
// ExportedFile. Features build the ReportDoc; they never touch a file format.
import type { ExportedFile, ExportFormat } from '../../../common/contract';
import { renderCsv } from './csv';
import { localDate } from './dates';
import { renderPdf } from './pdf';
import type { ReportDoc } from './types';
import { renderXlsx } from './xlsx';

export { csvCell, renderCsv } from './csv';
export { localDate, localDateTime } from './dates';
export { renderPdf } from './pdf';
export { CHECKBOX, type ReportDoc, type ReportTable, type SignatureSlot } from './types';
export { renderXlsx } from './xlsx';

const CONTENT_TYPES: Record<ExportFormat, ExportedFile['contentType']> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

/** A file-name stem from a title: lower case letters, digits and dashes ("Daftar Kekurangan Berkas" → "daftar-kekurangan-berkas"). */
export function fileStem(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return stem || 'laporan';
}

/**
 * Renders the report in the format asked for. The file is named `stem-YYYY-MM-DD.ext`, the
 * stem taken from `fileName` when given (its own extension replaced) or else from the title.
 */
export async function exportReport(doc: ReportDoc, format: ExportFormat, fileName?: string): Promise<ExportedFile> {
  const bytes = format === 'pdf' ? await renderPdf(doc) : format === 'xlsx' ? await renderXlsx(doc) : renderCsv(doc);
  const stem = fileName ? fileName.replace(/\.(pdf|xlsx|csv)$/i, '') : `${fileStem(doc.title)}-${localDate(doc.generatedAt)}`;
  return { fileName: `${stem}.${format}`, contentType: CONTENT_TYPES[format], base64: Buffer.from(bytes).toString('base64') };
}
