// What the workstation knows of the central server (issue 5, down-sync and conflicts).
// dms_documents is the server's document index of the instansi, read from its change feed:
// enough to say "sudah di DMS" for an employee's document type before a clerk scans it
// again, and to find the server document a local copy of the same bytes already is. A
// document the server deleted stays as a row marked deleted (local documents may point at
// it). dms_feeds holds each feed's opaque cursor (text: sync_cursors.last_id is a number).
// dms_document_types keeps the server's full document type definitions beside the names in
// document_types. document_sync gains what an edit after sync needs: the SHA-256 the server
// holds for server_id (a new upload only when the bytes changed) and, in state 'conflict',
// the server's current document as it answered.
export const name = 'dms-index';

export const sql = /* sql */ `
CREATE TABLE dms_documents (
  server_id TEXT PRIMARY KEY,
  nip TEXT NOT NULL,
  type_code TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  version INTEGER NOT NULL,
  idempotency_key TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX dms_documents_nip ON dms_documents (nip, type_code);
CREATE INDEX dms_documents_sha ON dms_documents (sha256);

CREATE TABLE dms_document_types (
  code TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE dms_feeds (
  name TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  pulled_at TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE document_sync ADD COLUMN server_sha256 TEXT;
ALTER TABLE document_sync ADD COLUMN conflict_current TEXT;
`;
