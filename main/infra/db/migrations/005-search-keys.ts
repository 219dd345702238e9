// Search at a million documents (bench/search.ts, docs/PERFORMANCE.md). Two changes to
// documents_fts, which FTS5 cannot ALTER, so the index is rebuilt from the documents
// (about 25 s per million documents on a 2-core machine):
// - a `keys` column with one exact token per filter a clerk combines with text: document
//   type ('t' + hex of the code), state ('s' + state) and unit kerja ('u' + hex of the
//   name). A filtered search is then one MATCH whose posting lists FTS5 intersects,
//   instead of a join per matching row to test the filter (0.3-1.5 s for "sk" in a unit).
// - prefix indexes for 1 to 4 characters: a first keystroke, or a year typed as the last
//   word of an SK number, reads one posting list instead of merging thousands of terms.
// The triggers also reindex on a state change and when an employee moves to another unit.
export const name = 'search-keys';

const SOURCE_COLUMNS = 'nip, nama, nomor, jenis, notes, name, keys';

export const sql = /* sql */ `
DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_update;
DROP TRIGGER documents_fts_delete;
DROP TRIGGER employees_docs_fts_insert;
DROP TRIGGER employees_docs_fts_update;
DROP VIEW documents_fts_source;
DROP TABLE documents_fts;

CREATE VIRTUAL TABLE documents_fts USING fts5 (
  nip, nama, nomor, jenis, notes, name, keys,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4'
);

CREATE VIEW documents_fts_source AS
SELECT d.id AS id, d.nip AS nip, e.nama AS nama, d.nomor AS nomor,
       trim(coalesce(d.type_code, '') || ' ' || coalesce(t.name_id, '') || ' ' || coalesce(t.name_en, '')) AS jenis,
       d.notes AS notes, d.original_name AS name,
       's' || d.state || coalesce(' t' || hex(d.type_code), '') || coalesce(' u' || hex(e.unit_kerja), '') AS keys
FROM documents d
LEFT JOIN employees e ON e.nip = d.nip
LEFT JOIN document_types t ON t.code = d.type_code;

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, ${SOURCE_COLUMNS})
  SELECT id, ${SOURCE_COLUMNS} FROM documents_fts_source WHERE id = new.id;
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF nip, nomor, type_code, notes, original_name, state ON documents BEGIN
  DELETE FROM documents_fts WHERE rowid = old.id;
  INSERT INTO documents_fts (rowid, ${SOURCE_COLUMNS})
  SELECT id, ${SOURCE_COLUMNS} FROM documents_fts_source WHERE id = new.id;
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  DELETE FROM documents_fts WHERE rowid = old.id;
END;

CREATE TRIGGER employees_docs_fts_insert AFTER INSERT ON employees BEGIN
  DELETE FROM documents_fts WHERE rowid IN (SELECT id FROM documents WHERE nip = new.nip);
  INSERT INTO documents_fts (rowid, ${SOURCE_COLUMNS})
  SELECT id, ${SOURCE_COLUMNS} FROM documents_fts_source WHERE nip = new.nip;
END;
CREATE TRIGGER employees_docs_fts_update AFTER UPDATE OF nama, unit_kerja ON employees BEGIN
  DELETE FROM documents_fts WHERE rowid IN (SELECT id FROM documents WHERE nip = new.nip);
  INSERT INTO documents_fts (rowid, ${SOURCE_COLUMNS})
  SELECT id, ${SOURCE_COLUMNS} FROM documents_fts_source WHERE nip = new.nip;
END;

INSERT INTO documents_fts (rowid, ${SOURCE_COLUMNS})
SELECT id, ${SOURCE_COLUMNS} FROM documents_fts_source;
`;
