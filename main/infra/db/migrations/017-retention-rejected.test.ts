// Migration 017 on a database made under 015 that holds a disposal proposal in every state,
// with the list, the disposal marks and the Berita Acara pointing at them: the rebuild keeps
// every row, id and reference, the references still guard the new table, and 'ditolak'
// (with who, when and why) is now a state a proposal can be in.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers/profile';
import { openDatabase, type Db } from '../index';
import { MIGRATIONS } from './index';

const cleanups: (() => void)[] = [];
function tempFile(): string {
  const { dir, cleanup } = tempDir('lemari-m017-');
  cleanups.push(cleanup);
  return join(dir, 'lemari.db');
}
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const UNDER_015 = MIGRATIONS.filter((migration) => migration.id <= 15);
const STATES = ['usul', 'direkomendasikan', 'disetujui', 'dimusnahkan', 'diserahkan'] as const;
const AT = '2026-06-01T02:00:00.000Z';

/** One proposal per state (ids 11..15), two listed documents each; the executed ones marked and reported. */
function fillUnder015(db: Db): void {
  const proposal = db.prepare(
    `INSERT INTO disposal_proposals (id, kind, number, state, created_by, created_at, approved_by, approved_at, approved_note, executed_by, executed_at, executed_note)
     VALUES (?, ?, ?, ?, 'admin', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const item = db.prepare(`INSERT INTO disposal_items VALUES (?, ?, '196301011985031001', 'Budi', 'SK_PNS', NULL, NULL, '2026-01-01', ?, 1)`);
  const mark = db.prepare(`INSERT INTO document_disposals VALUES (?, ?, ?, ?, 'admin')`);
  const report = db.prepare(`INSERT INTO retention_reports (kind, number, file_name, pdf, proposal_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'admin', ?)`);
  STATES.forEach((state, index) => {
    const id = 11 + index;
    const kind = state === 'diserahkan' ? 'permanen' : 'musnah';
    const approved = ['disetujui', 'dimusnahkan', 'diserahkan'].includes(state);
    const executed = state === 'dimusnahkan' || state === 'diserahkan';
    proposal.run(id, kind, `${kind === 'musnah' ? 'DAUM' : 'DAS'}/${String(id).padStart(3, '0')}/2026`, state, AT, approved ? 'admin' : null, approved ? AT : null, approved ? 'ok' : null, executed ? 'admin' : null, executed ? AT : null, executed ? '' : null);
    for (const documentId of [id * 10, id * 10 + 1]) {
      item.run(id, documentId, `sha-${documentId}`);
      if (executed) mark.run(documentId, state === 'dimusnahkan' ? 'musnah' : 'statis', id, AT);
    }
    if (executed) report.run(state === 'dimusnahkan' ? 'berita_acara_pemusnahan' : 'daftar_arsip_statis', `BA/${id}`, `ba-${id}.pdf`, Buffer.from(`%PDF-${id}`), id, AT);
  });
  // A Berita Acara Alih Media belongs to no proposal and must stay that way.
  report.run('berita_acara_alih_media', 'BAAM/001/2026', 'baam.pdf', Buffer.from('%PDF-alih'), null, AT);
}

const snapshot = (db: Db) => ({
  proposals: db.prepare('SELECT id, kind, number, state, created_by, created_at, approved_by, approved_at, approved_note, executed_by, executed_at, executed_note FROM disposal_proposals ORDER BY id').all(),
  items: db.prepare('SELECT * FROM disposal_items ORDER BY proposal_id, document_id').all(),
  marks: db.prepare('SELECT * FROM document_disposals ORDER BY document_id').all(),
  reports: db.prepare('SELECT id, kind, number, file_name, hex(pdf) AS pdf, proposal_id FROM retention_reports ORDER BY id').all(),
});

describe('migration 017 (disposal proposals may be ditolak)', () => {
  it('keeps every proposal, its list, its disposal marks and its Berita Acara, under the same ids', () => {
    const file = tempFile();
    const old = openDatabase(file, { migrations: UNDER_015 });
    fillUnder015(old);
    const before = snapshot(old);
    expect(() => old.prepare(`UPDATE disposal_proposals SET state = 'ditolak' WHERE id = 11`).run()).toThrow(/CHECK/);
    old.close();

    const db = openDatabase(file);
    expect(db.prepare('SELECT max(id) AS id FROM schema_migrations').get()).toEqual({ id: MIGRATIONS.at(-1)!.id });
    expect(snapshot(db)).toEqual(before);
    expect(before.proposals).toHaveLength(5);
    expect(before.items).toHaveLength(10);
    expect(before.marks).toHaveLength(4);
    expect(db.prepare('SELECT rejected_by, rejected_at, rejected_reason FROM disposal_proposals WHERE id = 11').get()).toEqual({ rejected_by: null, rejected_at: null, rejected_reason: null });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Nothing of the set-aside copies is left behind.
    expect(db.prepare(`SELECT name FROM sqlite_temp_master WHERE name LIKE '%_017'`).all()).toEqual([]);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name LIKE '%_017'`).all()).toEqual([]);
    db.close();
  });

  it('leaves the children guarded by the rebuilt table: a listed proposal cannot vanish, an unknown one cannot be pointed at', () => {
    const file = tempFile();
    const old = openDatabase(file, { migrations: UNDER_015 });
    fillUnder015(old);
    old.close();
    const db = openDatabase(file);
    for (const child of ['disposal_items', 'document_disposals', 'retention_reports']) {
      expect((db.pragma(`foreign_key_list(${child})`) as { table: string }[]).map((key) => key.table)).toEqual(['disposal_proposals']);
    }
    expect(() => db.prepare('DELETE FROM disposal_proposals WHERE id = 11').run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO disposal_items VALUES (99, 1, 'x', 'x', 'SK_PNS', NULL, NULL, '2026-01-01', 'sha', 1)`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO document_disposals VALUES (1, 'musnah', 99, 'x', 'x')`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('accepts ditolak only with who, when and why, and still refuses an unknown state', () => {
    const file = tempFile();
    openDatabase(file, { migrations: UNDER_015 }).close();
    const db = openDatabase(file);
    const insert = db.prepare(`INSERT INTO disposal_proposals (kind, number, state, created_by, created_at, rejected_by, rejected_at, rejected_reason) VALUES ('musnah', ?, ?, 'admin', ?, ?, ?, ?)`);
    insert.run('DAUM/001/2026', 'ditolak', AT, 'admin', AT, 'Belum dinilai panitia');
    expect(() => insert.run('DAUM/002/2026', 'ditolak', AT, 'admin', AT, null)).toThrow(/CHECK/);
    expect(() => insert.run('DAUM/003/2026', 'usul', AT, 'admin', AT, 'alasan')).toThrow(/CHECK/);
    expect(() => insert.run('DAUM/004/2026', 'dibatalkan', AT, null, null, null)).toThrow(/CHECK/);
    expect(db.prepare('SELECT number, state, rejected_reason FROM disposal_proposals').all()).toEqual([{ number: 'DAUM/001/2026', state: 'ditolak', rejected_reason: 'Belum dinilai panitia' }]);
    db.close();
  });
});
