// The first schema: employees, documents, thumbnails, the document-type names that search
// needs, a simple audit table (hardened into a hash chain by a later migration) and the
// FTS5 indexes kept current by triggers, so every write path updates search in the same
// transaction.
export const name = 'initial';

export const sql = /* sql */ `
CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  nip TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('pns', 'pppk')),
  nama TEXT NOT NULL,
  tempat_lahir TEXT,
  tanggal_lahir TEXT,
  golongan TEXT,
  jabatan TEXT,
  unit_kerja TEXT,
  kedudukan_hukum TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX employees_unit ON employees (unit_kerja);

CREATE TABLE document_types (
  code TEXT PRIMARY KEY,
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL,
  source_sha256 TEXT NOT NULL UNIQUE,
  original_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  source_size INTEGER NOT NULL,
  page_count INTEGER NOT NULL,
  source_kind TEXT NOT NULL,
  nip TEXT,
  type_code TEXT,
  nomor TEXT,
  tanggal TEXT,
  fields TEXT NOT NULL DEFAULT '{}',
  notes TEXT NOT NULL DEFAULT '',
  guess_nip TEXT,
  guess_type TEXT,
  state TEXT NOT NULL DEFAULT 'draft',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX documents_nip ON documents (nip, type_code, tanggal);
CREATE INDEX documents_state ON documents (state, id);
CREATE INDEX documents_type ON documents (type_code, id);
CREATE INDEX documents_sha ON documents (sha256);

CREATE TABLE thumbnails (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  png BLOB NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  document_id INTEGER,
  nip TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_document ON audit_log (document_id);

-- Search over documents: contentless (the text lives in documents/employees), rowid = documents.id.
CREATE VIRTUAL TABLE documents_fts USING fts5 (
  nip, nama, nomor, jenis, notes, name,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE VIEW documents_fts_source AS
SELECT d.id AS id, d.nip AS nip, e.nama AS nama, d.nomor AS nomor,
       trim(coalesce(d.type_code, '') || ' ' || coalesce(t.name_id, '') || ' ' || coalesce(t.name_en, '')) AS jenis,
       d.notes AS notes, d.original_name AS name
FROM documents d
LEFT JOIN employees e ON e.nip = d.nip
LEFT JOIN document_types t ON t.code = d.type_code;

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, nip, nama, nomor, jenis, notes, name)
  SELECT id, nip, nama, nomor, jenis, notes, name FROM documents_fts_source WHERE id = new.id;
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF nip, nomor, type_code, notes, original_name ON documents BEGIN
  DELETE FROM documents_fts WHERE rowid = old.id;
  INSERT INTO documents_fts (rowid, nip, nama, nomor, jenis, notes, name)
  SELECT id, nip, nama, nomor, jenis, notes, name FROM documents_fts_source WHERE id = new.id;
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  DELETE FROM documents_fts WHERE rowid = old.id;
END;

-- An employee's name is searchable on each of their documents: reindex them when it changes.
CREATE TRIGGER employees_docs_fts_insert AFTER INSERT ON employees BEGIN
  DELETE FROM documents_fts WHERE rowid IN (SELECT id FROM documents WHERE nip = new.nip);
  INSERT INTO documents_fts (rowid, nip, nama, nomor, jenis, notes, name)
  SELECT id, nip, nama, nomor, jenis, notes, name FROM documents_fts_source WHERE nip = new.nip;
END;
CREATE TRIGGER employees_docs_fts_update AFTER UPDATE OF nama ON employees BEGIN
  DELETE FROM documents_fts WHERE rowid IN (SELECT id FROM documents WHERE nip = new.nip);
  INSERT INTO documents_fts (rowid, nip, nama, nomor, jenis, notes, name)
  SELECT id, nip, nama, nomor, jenis, notes, name FROM documents_fts_source WHERE nip = new.nip;
END;

-- Search over employees (the per-employee folder view starts here).
CREATE VIRTUAL TABLE employees_fts USING fts5 (
  nip, nama, jabatan, unit_kerja,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER employees_fts_insert AFTER INSERT ON employees BEGIN
  INSERT INTO employees_fts (rowid, nip, nama, jabatan, unit_kerja) VALUES (new.id, new.nip, new.nama, new.jabatan, new.unit_kerja);
END;
CREATE TRIGGER employees_fts_update AFTER UPDATE OF nip, nama, jabatan, unit_kerja ON employees BEGIN
  DELETE FROM employees_fts WHERE rowid = old.id;
  INSERT INTO employees_fts (rowid, nip, nama, jabatan, unit_kerja) VALUES (new.id, new.nip, new.nama, new.jabatan, new.unit_kerja);
END;
CREATE TRIGGER employees_fts_delete AFTER DELETE ON employees BEGIN
  DELETE FROM employees_fts WHERE rowid = old.id;
END;
`;
