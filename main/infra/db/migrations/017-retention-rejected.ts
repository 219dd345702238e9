// A rejected disposal proposal keeps its record (issue 7): disposal_proposals gains the
// state 'ditolak' with who rejected it, when and why. Before this, a rejection deleted the
// proposal and its list and only the audit entry remained.
//
// SQLite cannot alter a CHECK constraint, so the table is rebuilt the documented way (new
// table, copy, drop, rename; it has no indexes, triggers or views of its own beyond the
// UNIQUE on number, which comes back with the new table). The documented recipe turns
// foreign keys off around the transaction, but the migration runner opens every database
// with foreign_keys = ON and runs each migration inside a transaction, where that pragma
// is a no-op. Dropping a parent that still has children would then fail (or leave the
// references dangling with the check off), so the three child tables' links are set aside
// in temp tables first and put back after the rename: the checks stay on throughout, and
// foreign_key_check at the end proves every reference still resolves. Ids are copied, so
// disposal_items, document_disposals and retention_reports point at the same proposals.
import type { Db } from '..';

export const name = 'retention-rejected';

export const sql = /* sql */ `
CREATE TABLE disposal_proposals_017 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('musnah', 'permanen')),
  number TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('usul', 'direkomendasikan', 'disetujui', 'dimusnahkan', 'diserahkan', 'ditolak')),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  recommended_by TEXT,
  recommended_at TEXT,
  recommended_note TEXT,
  approved_by TEXT,
  approved_at TEXT,
  approved_note TEXT,
  executed_by TEXT,
  executed_at TEXT,
  executed_note TEXT,
  rejected_by TEXT,
  rejected_at TEXT,
  rejected_reason TEXT,
  -- A rejection always says who, when and why; nothing else carries them.
  CHECK ((state = 'ditolak') = (rejected_by IS NOT NULL AND rejected_at IS NOT NULL AND rejected_reason IS NOT NULL))
);
INSERT INTO disposal_proposals_017 (id, kind, number, state, created_by, created_at, recommended_by, recommended_at, recommended_note,
  approved_by, approved_at, approved_note, executed_by, executed_at, executed_note)
SELECT id, kind, number, state, created_by, created_at, recommended_by, recommended_at, recommended_note,
  approved_by, approved_at, approved_note, executed_by, executed_at, executed_note FROM disposal_proposals;

CREATE TEMP TABLE disposal_items_017 AS SELECT * FROM main.disposal_items;
DELETE FROM main.disposal_items;
CREATE TEMP TABLE document_disposals_017 AS SELECT * FROM main.document_disposals;
DELETE FROM main.document_disposals;
CREATE TEMP TABLE retention_reports_017 AS SELECT id, proposal_id FROM main.retention_reports WHERE proposal_id IS NOT NULL;
UPDATE main.retention_reports SET proposal_id = NULL WHERE proposal_id IS NOT NULL;

DROP TABLE disposal_proposals;
ALTER TABLE disposal_proposals_017 RENAME TO disposal_proposals;

INSERT INTO main.disposal_items (proposal_id, document_id, nip, nama, type_code, nomor, tanggal, due_on, sha256, pages)
SELECT proposal_id, document_id, nip, nama, type_code, nomor, tanggal, due_on, sha256, pages FROM temp.disposal_items_017;
INSERT INTO main.document_disposals (document_id, disposition, proposal_id, at, by)
SELECT document_id, disposition, proposal_id, at, by FROM temp.document_disposals_017;
UPDATE main.retention_reports SET proposal_id = (SELECT a.proposal_id FROM temp.retention_reports_017 a WHERE a.id = retention_reports.id)
WHERE id IN (SELECT id FROM temp.retention_reports_017);
DROP TABLE temp.disposal_items_017;
DROP TABLE temp.document_disposals_017;
DROP TABLE temp.retention_reports_017;
`;

/** Refuses to commit the rebuild unless every reference into disposal_proposals still resolves. */
export function up(db: Db): void {
  const broken = ['disposal_items', 'document_disposals', 'retention_reports'].flatMap((table) => db.pragma(`foreign_key_check(${table})`) as { table: string; rowid: number; parent: string }[]);
  if (broken.length > 0) throw new Error(`migration 017 left broken references: ${JSON.stringify(broken.slice(0, 5))}`);
}
