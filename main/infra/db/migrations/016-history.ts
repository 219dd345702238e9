// Employee history (issue 7): SIASN history records per NIP, imported from the agency's
// exports (main/core/history), which the completeness rules count expected documents from.
// One table for the five kinds, each kind filling its own columns. record_key makes a
// re-import update instead of duplicating: SIASN's id_riwayat when the export has one,
// else the kind's natural date and SK number (main/core/history/parse.ts builds it).
// Triggers mark the NIP dirty for completeness (migration 008), so stored scores follow.
export const name = 'history';

const dirty = (nip: string) => `INSERT INTO completeness_dirty (nip) SELECT ${nip} WHERE NOT EXISTS (SELECT 1 FROM completeness_dirty WHERE nip = ${nip});`;

export const sql = /* sql */ `
CREATE TABLE employee_history (
  id INTEGER PRIMARY KEY,
  nip TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('golongan', 'jabatan', 'pendidikan', 'pindah_instansi', 'cltn')),
  record_key TEXT NOT NULL,
  id_riwayat TEXT,
  golongan TEXT,
  jenis_kp TEXT,
  jabatan TEXT,
  unit TEXT,
  tingkat TEXT,
  jurusan TEXT,
  tahun_lulus INTEGER,
  nomor_ijazah TEXT,
  instansi_asal TEXT,
  instansi_tujuan TEXT,
  tmt TEXT,
  selesai TEXT,
  nomor_sk TEXT,
  tanggal_sk TEXT,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
);
CREATE UNIQUE INDEX employee_history_key ON employee_history (nip, kind, record_key);
-- Covers the completeness count: records per NIP, kind and tingkat in one GROUP BY.
CREATE INDEX employee_history_completeness ON employee_history (nip, kind, tingkat);

CREATE TRIGGER employee_history_completeness_insert AFTER INSERT ON employee_history BEGIN
  ${dirty('new.nip')}
END;
CREATE TRIGGER employee_history_completeness_update AFTER UPDATE ON employee_history BEGIN
  ${dirty('new.nip')}
  ${dirty('old.nip')}
END;
CREATE TRIGGER employee_history_completeness_delete AFTER DELETE ON employee_history BEGIN
  ${dirty('old.nip')}
END;
`;
