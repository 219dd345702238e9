// The size budget's optimizer (issue 6). optimize_proposals holds an optimized version a
// clerk has not accepted yet (its bytes are a blob, the document still points at its own).
// document_originals keeps the sha of the content a document had before its first accepted
// optimization: that blob stays on disk, retrievable, until the server has verified the
// optimized content, and is then released (released_at set, the file removed when nothing
// else points at it).
export const name = 'optimize';

export const sql = /* sql */ `
CREATE TABLE optimize_proposals (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  -- The document's content the proposal was made from: a proposal for older bytes is stale.
  source_sha256 TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  page_count INTEGER NOT NULL,
  pages TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE document_originals (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  kept_at TEXT NOT NULL,
  released_at TEXT
);
CREATE INDEX document_originals_held ON document_originals (released_at, document_id);
`;
