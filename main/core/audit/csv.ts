// The Aktivitas export: the filtered audit log as CSV (UTF-8 with BOM so Excel reads it).
import type { AuditFilter, AuditLog } from './index';

const HEADER = ['id', 'waktu', 'pengguna', 'aksi', 'dokumen', 'nip', 'rincian'];
const PAGE = 5000;

/** Quotes a cell; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsv(audit: AuditLog, filter: Omit<AuditFilter, 'limit' | 'offset'>, now: Date): { fileName: string; csv: string; rows: number } {
  const lines = [HEADER.join(',')];
  let rows = 0;
  for (let offset = 0; ; offset += PAGE) {
    const { items } = audit.list({ ...filter, limit: PAGE, offset });
    for (const e of items) lines.push([e.id, e.at, e.actor, e.action, e.documentId, e.nip, e.detail].map(csvCell).join(','));
    rows += items.length;
    if (items.length < PAGE) break;
  }
  const stamp = now.toISOString().slice(0, 10);
  return { fileName: `aktivitas-${stamp}.csv`, csv: `\ufeff${lines.join('\r\n')}\r\n`, rows };
}
