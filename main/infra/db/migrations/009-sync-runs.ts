// Sync run reports (issue 5): every run is written down when it starts (so a run the process
// did not survive still shows, with no end), and each document it touched gets a row as it
// ends there (verified, rejected, conflict) or, when the run ends, as still waiting with
// its last error. Rows keep the file name and NIP so a report reads the same after the
// document changes. document_sync.commit_sent_at marks that a commit may have reached the
// server: such a document is never dequeued by a cancel, since its idempotency key may
// already name a server document.
export const name = 'sync-runs';

export const sql = /* sql */ `
ALTER TABLE document_sync ADD COLUMN commit_sent_at TEXT;

CREATE TABLE sync_runs (
  id TEXT PRIMARY KEY,
  user_id INTEGER,
  actor TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule', 'link', 'cli')),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  phase TEXT NOT NULL CHECK (phase IN ('running', 'paused', 'cancelled', 'done')),
  stopped TEXT,
  -- Documents found in the outbox; the counts by outcome are read from sync_run_items.
  total INTEGER NOT NULL,
  bytes_total INTEGER NOT NULL,
  bytes_sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_runs_started ON sync_runs (started_at);

CREATE TABLE sync_run_items (
  run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  -- No foreign key: the report outlives the document.
  document_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  nip TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('verified', 'rejected', 'conflict', 'waiting')),
  code TEXT,
  reason TEXT,
  size INTEGER NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (run_id, document_id)
);
`;
