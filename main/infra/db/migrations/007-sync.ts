// Sending documents to the central server (issue 5). Beside a document's labelling state
// (draft, ready) each document handed to sync gets a row in document_sync: where it is on
// its way (queued -> uploading -> committed -> verified, or rejected with the server's
// reason, or conflict), the idempotency key chosen once per version it sends (kept across
// retries and crashes, so a commit that is repeated never makes a second document), the tus
// upload it is resuming and how far it got, and the server's document id and version.
// sync_outbox is the work still to do, in order; a row is written in the same transaction
// as the change it carries and deleted when the server has the document (or refused it).
export const name = 'sync';

export const sql = /* sql */ `
CREATE TABLE document_sync (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'uploading', 'committed', 'verified', 'rejected', 'conflict')),
  -- The local version being sent: 1 at the first queueing, one more at each re-queue.
  version INTEGER NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  upload_url TEXT,
  upload_offset INTEGER NOT NULL DEFAULT 0,
  server_id TEXT,
  server_version INTEGER,
  -- The server's error code and message of a refusal, or of the last failed attempt.
  error_code TEXT,
  error_message TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  queued_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX document_sync_state ON document_sync (state, document_id);

CREATE TABLE sync_outbox (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('commit')),
  created_at TEXT NOT NULL
);
`;
