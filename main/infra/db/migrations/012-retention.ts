// Retention (penyusutan, main/core/retention): when each employee left service and became
// Punah (the clocks of the JRA), the admin's overrides of the shipped schedule, legal holds,
// disposal proposals with a snapshot of what they listed, the documents disposed of (their
// metadata stays, marked), and the generated Berita Acara kept so they can be downloaded again.
export const name = 'retention';

export const sql = /* sql */ `
CREATE TABLE retention_dates (
  nip TEXT PRIMARY KEY,
  left_on TEXT NOT NULL,
  punah_on TEXT,
  -- 'observed' when the status was seen in the employee list, 'recorded' when an admin gave the date.
  source TEXT NOT NULL CHECK (source IN ('observed', 'recorded')),
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE retention_jra (
  type_code TEXT PRIMARY KEY,
  active_years INTEGER NOT NULL,
  inactive_years INTEGER NOT NULL,
  disposition TEXT NOT NULL CHECK (disposition IN ('musnah', 'permanen', 'berkas_perseorangan')),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE legal_holds (
  id INTEGER PRIMARY KEY,
  nip TEXT NOT NULL,
  reason TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL,
  lifted_by TEXT,
  lifted_at TEXT,
  lift_reason TEXT
);
CREATE UNIQUE INDEX legal_holds_active ON legal_holds (nip) WHERE lifted_at IS NULL;

CREATE TABLE disposal_proposals (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('musnah', 'permanen')),
  number TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('usul', 'direkomendasikan', 'disetujui', 'dimusnahkan', 'diserahkan')),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  recommended_by TEXT,
  recommended_at TEXT,
  recommended_note TEXT,
  approved_by TEXT,
  approved_at TEXT,
  approved_note TEXT,
  executed_by TEXT,
  executed_at TEXT,
  executed_note TEXT
);

CREATE TABLE disposal_items (
  proposal_id INTEGER NOT NULL REFERENCES disposal_proposals (id),
  document_id INTEGER NOT NULL,
  nip TEXT NOT NULL,
  nama TEXT NOT NULL,
  type_code TEXT NOT NULL,
  nomor TEXT,
  tanggal TEXT,
  due_on TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  pages INTEGER NOT NULL,
  PRIMARY KEY (proposal_id, document_id)
) WITHOUT ROWID;
CREATE INDEX disposal_items_document ON disposal_items (document_id);

CREATE TABLE document_disposals (
  document_id INTEGER PRIMARY KEY,
  disposition TEXT NOT NULL CHECK (disposition IN ('musnah', 'statis')),
  proposal_id INTEGER NOT NULL REFERENCES disposal_proposals (id),
  at TEXT NOT NULL,
  by TEXT NOT NULL
);

CREATE TABLE retention_reports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('berita_acara_pemusnahan', 'daftar_arsip_statis', 'berita_acara_alih_media')),
  number TEXT NOT NULL,
  file_name TEXT NOT NULL,
  pdf BLOB NOT NULL,
  proposal_id INTEGER REFERENCES disposal_proposals (id),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;
