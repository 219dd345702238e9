// OCR (issue 6): the text read from each page of a document, and a durable queue of
// documents to read. Every imported document is queued by a trigger, in the transaction that
// inserts it, so nothing is missed and a queue cut off by a restart resumes where it
// stopped. documents_fts gains an `ocr` column (FTS5 cannot ALTER, so the index is rebuilt
// as in 005, about 25 s per million documents), written when a document's reading is done.
export const name = 'ocr';

const SOURCE_COLUMNS = 'nip, nama, nomor, jenis, notes, name, keys, ocr';

export const sql = /* sql */ `
CREATE TABLE ocr_jobs (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  -- pending: waiting or cut off by a restart; running; done; failed (error says why).
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  pages_done INTEGER NOT NULL DEFAULT 0,
  page_count INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  updated_at TEXT
);
CREATE INDEX ocr_jobs_pending ON ocr_jobs (status, document_id);

CREATE TABLE ocr_pages (
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  page INTEGER NOT NULL,
  text TEXT NOT NULL,
  confidence REAL NOT NULL,
  PRIMARY KEY (document_id, page)
);

CREATE TRIGGER ocr_jobs_queue AFTER INSERT ON documents BEGIN
  INSERT INTO ocr_jobs (document_id, page_count, updated_at) VALUES (new.id, new.page_count, new.created_at);
END;

DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_update;
DROP TRIGGER documents_fts_delete;
DROP TRIGGER employees_docs_fts_insert;
DROP TRIGGER employees_docs_fts_update;
DROP VIEW documents_fts_source;
DROP TABLE documents_fts;

CREATE VIRTUAL TABLE documents_fts USING fts5 (
  nip, nama, nomor, jenis, notes, name, keys, ocr,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4'
);

CREATE VIEW documents_fts_source AS
SELECT d.id AS id, d.nip AS nip, e.nama AS nama, d.nomor AS nomor,
       trim(coalesce(d.type_code, '') || ' ' || coalesce(t.name_id, '') || ' ' || coalesce(t.name_en, '')) AS jenis,
       d.notes AS notes, d.original_name AS name,
       's' || d.state || coalesce(' t' || hex(d.type_code), '') || coalesce(' u' || hex(e.unit_kerja), '') AS keys,
       (SELECT group_concat(p.text, ' ') FROM ocr_pages p WHERE p.document_id = d.id) AS ocr
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

-- The pages are written first, then the job is marked done: one reindex per document.
CREATE TRIGGER ocr_jobs_fts AFTER UPDATE OF status ON ocr_jobs WHEN new.status = 'done' BEGIN
  DELETE FROM documents_fts WHERE rowid = new.document_id;
  INSERT INTO documents_fts (rowid, ${SOURCE_COLUMNS})
  SELECT id, ${SOURCE_COLUMNS} FROM documents_fts_source WHERE id = new.document_id;
END;

INSERT INTO documents_fts (rowid, ${SOURCE_COLUMNS})
SELECT id, ${SOURCE_COLUMNS} FROM documents_fts_source;
`;
