// Migration 018 on a database made under 017 whose stored completeness scores still count a
// verifier-rejected document as held: the upgrade lists that employee for rescoring (and no
// other), and from then on a review decision that makes a document rejected, or stops it being
// rejected, lists its employee, while one that leaves it as it was (pending to approved) does not.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers/profile';
import { openDatabase, type Db } from '../index';
import { MIGRATIONS } from './index';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const UNDER_017 = MIGRATIONS.filter((migration) => migration.id <= 17);
const REJECTED_NIP = '199001012015031001';
const PENDING_NIP = '199202292015032002';
const AT = '2026-11-24T02:00:00.000Z';

function readyDocument(db: Db, nip: string, sha: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, type_code, state, fields, created_at, updated_at)
         VALUES (?, ?, 'x.pdf', 1, 1, 1, 'pdf', ?, 'SK_PNS', 'ready', '{}', ?, ?)`,
      )
      .run(sha, sha, nip, AT, AT).lastInsertRowid,
  );
}

const dirty = (db: Db) => (db.prepare('SELECT nip FROM completeness_dirty ORDER BY nip').all() as { nip: string }[]).map((row) => row.nip);
const review = (db: Db, id: number, state: string) => db.prepare('UPDATE document_review SET state = ? WHERE document_id = ?').run(state, id);

describe('migration 018', () => {
  it('lists for rescoring the employees whose documents a verifier rejected before it, and each later change of rejection', () => {
    const { dir, cleanup } = tempDir('lemari-m018-');
    cleanups.push(cleanup);
    const file = join(dir, 'lemari.db');
    const old = openDatabase(file, { migrations: UNDER_017 });
    const rejected = readyDocument(old, REJECTED_NIP, 'a'.repeat(64));
    const pending = readyDocument(old, PENDING_NIP, 'b'.repeat(64));
    review(old, rejected, 'rejected');
    old.exec('DELETE FROM completeness_dirty'); // the stored scores were brought up to date under 017
    old.close();

    const db = openDatabase(file);
    cleanups.unshift(() => db.close());
    expect(dirty(db)).toEqual([REJECTED_NIP]);
    db.exec('DELETE FROM completeness_dirty');

    review(db, pending, 'approved');
    expect(dirty(db)).toEqual([]);
    review(db, pending, 'rejected');
    expect(dirty(db)).toEqual([PENDING_NIP]);
    db.exec('DELETE FROM completeness_dirty');
    // The clerk relabels: migration 011's trigger puts the review back to pending, which lists the NIP too.
    db.prepare("UPDATE documents SET updated_at = '2026-11-25T02:00:00.000Z' WHERE id = ?").run(pending);
    expect(db.prepare('SELECT state FROM document_review WHERE document_id = ?').get(pending)).toEqual({ state: 'pending' });
    expect(dirty(db)).toEqual([PENDING_NIP]);
    db.exec('DELETE FROM completeness_dirty');
    db.prepare('DELETE FROM document_review WHERE document_id = ?').run(rejected);
    expect(dirty(db)).toEqual([REJECTED_NIP]);
  });
});
