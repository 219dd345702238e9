// A report's tables as CSV: UTF-8 with a BOM (so Excel reads the Indonesian text right),
// CRLF line ends, and every cell defused so a spreadsheet never runs it as a formula. Also
// the one cell quoter every CSV export of the workstation uses (the Aktivitas export too).
import type { ReportDoc } from './types';

/** Quotes a cell; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A number stays a number (a leading minus is a sign, not a formula); everything else goes through csvCell. */
function cell(value: string | number | null): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : csvCell(value);
}

/**
 * The tables one after another; when there are several, each starts with its title on a
 * line of its own and a blank line parts them, so one file still carries the whole report.
 */
export function renderCsv(doc: ReportDoc): Uint8Array {
  const lines: string[] = [];
  doc.tables.forEach((table, index) => {
    if (doc.tables.length > 1) {
      if (index > 0) lines.push('');
      if (table.title) lines.push(csvCell(table.title));
    }
    lines.push(table.columns.map(csvCell).join(','));
    for (const row of table.rows) lines.push(row.map(cell).join(','));
  });
  return new TextEncoder().encode(`\ufeff${lines.join('\r\n')}\r\n`);
}
