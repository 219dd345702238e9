// Completeness follows the verifier (issue 7) and keeps a progress chart per unit kerja.
//
// A document a verifier rejected (document_review, migration 011) counts as rejected for its
// checklist item, not held (main/core/completeness). The stored scores (migration 008) are
// rescored only for the NIPs listed in completeness_dirty, so a review decision that makes a
// document rejected, or stops it being rejected (an approval, or the clerk relabelling it,
// which puts the review back to pending), marks its employee; so does the upgrade itself,
// for the rejections made before it.
//
// completeness_daily_units: the daily progress point of each unit kerja, beside the office's
// (completeness_daily, migration 013): the last figures computed that day
// (main/core/completeness dailySnapshot).
export const name = 'completeness-review';

// As migration 008: NOT EXISTS, not INSERT OR IGNORE (a trigger takes the statement's conflict policy).
const dirty = (nip: string) => `INSERT INTO completeness_dirty (nip) SELECT n FROM (SELECT ${nip} AS n) WHERE n IS NOT NULL AND NOT EXISTS (SELECT 1 FROM completeness_dirty WHERE nip = n);`;
const nipOf = (documentId: string) => `(SELECT d.nip FROM documents d WHERE d.id = ${documentId})`;

export const sql = /* sql */ `
CREATE TRIGGER document_review_completeness_insert AFTER INSERT ON document_review WHEN new.state = 'rejected' BEGIN
  ${dirty(nipOf('new.document_id'))}
END;
CREATE TRIGGER document_review_completeness_update AFTER UPDATE OF state, document_id ON document_review
WHEN (old.state = 'rejected') IS NOT (new.state = 'rejected') OR (new.state = 'rejected' AND old.document_id IS NOT new.document_id) BEGIN
  ${dirty(nipOf('new.document_id'))}
  ${dirty(nipOf('old.document_id'))}
END;
CREATE TRIGGER document_review_completeness_delete AFTER DELETE ON document_review WHEN old.state = 'rejected' BEGIN
  ${dirty(nipOf('old.document_id'))}
END;

INSERT INTO completeness_dirty (nip)
SELECT DISTINCT d.nip FROM document_review r JOIN documents d ON d.id = r.document_id
WHERE r.state = 'rejected' AND d.nip IS NOT NULL AND d.nip NOT IN (SELECT nip FROM completeness_dirty);

CREATE TABLE completeness_daily_units (
  -- The clerk's local date, YYYY-MM-DD.
  day TEXT NOT NULL,
  unit_kerja TEXT NOT NULL,
  employees INTEGER NOT NULL,
  average_score REAL NOT NULL,
  lengkap INTEGER NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (unit_kerja, day)
) WITHOUT ROWID;
`;
