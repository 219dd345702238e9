// The Aktivitas export: the filtered audit log as CSV (UTF-8 with BOM so Excel reads it).
import { csvCell } from '../../infra/reports/csv';
import type { AuditFilter, AuditLog } from './index';

const HEADER = ['id', 'waktu', 'pengguna', 'aksi', 'dokumen', 'nip', 'rincian'];
const PAGE = 5000;

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
