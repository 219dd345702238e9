// What every generated report is made of, whatever it becomes: an official-looking PDF
// (agency name on top, a title, the facts as label/value lines, tables, and places for
// signatures), or its tables as XLSX or CSV. Features (sync report, gap list, Berita Acara)
// build a ReportDoc; main/infra/reports renders it. Text is already in the user's language.

/** A cell of just this is drawn in the PDF as an empty box to tick by hand (a picking list's "Ambil"). */
export const CHECKBOX = '\u2610';

export interface ReportTable {
  /** A heading above the table, or none. */
  title?: string;
  columns: string[];
  /** Relative column widths for the PDF (defaults to equal); ignored by XLSX and CSV. */
  widths?: number[];
  rows: (string | number | null)[][];
}

export interface SignatureSlot {
  /** What the signer signs as ("Yang menyerahkan", "Kepala BKD", ...). */
  role: string;
  name?: string;
  nip?: string;
}

export interface ReportDoc {
  /** The agency (instansi) the report is issued by; printed on every page's header. */
  agency: string;
  title: string;
  /** A reference number or a line under the title ("Nomor: ...", "Unit: ..."). */
  subtitle?: string;
  /** Label/value facts printed before the tables ("Tanggal", "Operator", ...). */
  facts?: [string, string][];
  /** Free text paragraphs before the tables (the body of a Berita Acara). */
  paragraphs?: string[];
  tables: ReportTable[];
  /** Place and date line above the signatures ("Kota Contoh, 24 November 2026"). */
  placeDate?: string;
  signatures?: SignatureSlot[];
  /** Printed in the footer with the page number. */
  generatedAt: Date;
  /** The footer's generated line in the report's language ("Dibuat 24-11-2026 10.00"); defaults to generatedAt as YYYY-MM-DD HH:MM. */
  generatedLabel?: string;
  /** "Halaman {page} dari {pages}" in the report's language. */
  pageLabel: (page: number, pages: number) => string;
}
