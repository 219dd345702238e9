// Inserts document rows directly (as the import pipeline would leave them) for tests of
// labelling, search and listing that do not need real files.
import { createHash } from 'node:crypto';
import type { Db } from '../../main/infra/db';

let counter = 0;

export function insertDocument(db: Db, values: { name?: string; nip?: string | null; typeCode?: string | null; nomor?: string | null; tanggal?: string | null; notes?: string; state?: string } = {}): number {
  counter++;
  const sha = createHash('sha256').update(`doc-${counter}-${Math.random()}`).digest('hex');
  const now = '2026-11-24T02:00:00.000Z';
  const result = db
    .prepare(
      `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, type_code, nomor, tanggal, notes, state, created_at, updated_at)
       VALUES (?, ?, ?, 1000, 1000, 1, 'pdf', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(sha, sha, values.name ?? `scan-${counter}.pdf`, values.nip ?? null, values.typeCode ?? null, values.nomor ?? null, values.tanggal ?? null, values.notes ?? '', values.state ?? 'draft', now, now);
  return Number(result.lastInsertRowid);
}

export function insertEmployee(db: Db, nip: string, nama: string, unitKerja: string | null = null): void {
  db.prepare(`INSERT INTO employees (nip, kind, nama, unit_kerja, updated_at) VALUES (?, 'pns', ?, ?, '2026-11-24T02:00:00.000Z')`).run(nip, nama, unitKerja);
}
