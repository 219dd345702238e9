// Verification (issue 7): a verifier's decision on a labelled document before it may be
// sent to the central server. document_review holds one row per labelled document: pending
// (labelled, not reviewed yet), approved, or rejected with the verifier's reason. The row
// is kept whether or not the office requires approval (the setting only decides whether
// sync waits for it), so turning approval on later finds every labelled document pending.
//
// Triggers put a document back to pending from whichever code path labels it: a rejected
// document as soon as the clerk saves its label again, an approved one only when what goes
// to the server (NIP, type, fields) actually changed, since the verifier approved that.
export const name = 'review';

export const sql = /* sql */ `
CREATE TABLE document_review (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  reason TEXT CHECK (reason IS NULL OR length(reason) <= 500),
  reviewer TEXT,
  decided_at TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX document_review_state ON document_review (state, document_id);

INSERT INTO document_review (document_id, state, updated_at) SELECT id, 'pending', updated_at FROM documents WHERE state = 'ready';

CREATE TRIGGER documents_review_insert AFTER INSERT ON documents WHEN new.state = 'ready' BEGIN
  INSERT INTO document_review (document_id, state, updated_at) VALUES (new.id, 'pending', new.updated_at);
END;
CREATE TRIGGER documents_review_label AFTER UPDATE OF nip, type_code, fields, state, updated_at ON documents WHEN new.state = 'ready' BEGIN
  UPDATE document_review SET state = 'pending', reason = NULL, reviewer = NULL, decided_at = NULL, updated_at = new.updated_at
  WHERE document_id = new.id AND (
    state = 'rejected'
    OR (state = 'approved' AND (old.nip IS NOT new.nip OR old.type_code IS NOT new.type_code OR old.fields IS NOT new.fields OR old.state IS NOT new.state))
  );
  INSERT INTO document_review (document_id, state, updated_at) SELECT new.id, 'pending', new.updated_at
  WHERE NOT EXISTS (SELECT 1 FROM document_review WHERE document_id = new.id);
END;
`;
