// How far each outgoing stream has been sent. The audit log is append-only, so what is
// queued for the server is simply every entry after the audit cursor; the sync engine
// moves the cursor after the server has verified the entries it received.
export const name = 'sync-cursors';

export const sql = /* sql */ `
CREATE TABLE sync_cursors (
  name TEXT PRIMARY KEY,
  last_id INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO sync_cursors (name, last_id, updated_at) VALUES ('audit', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
`;
