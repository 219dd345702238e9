// Makes the audit log tamper-evident: every entry stores the hash of the entry before it
// and a hash over its own canonical content, and triggers refuse UPDATE and DELETE.
// Entries written before this migration are chained here, in id order.
import type { Db } from '..';
import { chainRows } from '../../../core/audit/chain';

export const name = 'audit-chain';

export const sql = /* sql */ `
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_nip ON audit_log (nip, id);
CREATE INDEX audit_log_at ON audit_log (at);
`;

export function up(db: Db): void {
  const rows = db.prepare('SELECT id, at, actor, action, document_id, nip, detail FROM audit_log ORDER BY id').all() as Parameters<typeof chainRows>[0];
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
  for (const { id, prevHash, hash } of chainRows(rows)) update.run(prevHash, hash, id);
  db.exec(`
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `);
}
