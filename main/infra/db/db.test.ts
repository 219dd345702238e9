import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseVersionError, openDatabase, statement } from './index';
import { MIGRATIONS } from './migrations';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-db-'));
  dirs.push(dir);
  return join(dir, 'lemari.db');
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('openDatabase', () => {
  it('applies every migration once and records it', () => {
    const file = tempFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    const rows = db.prepare('SELECT id, name FROM schema_migrations').all();
    expect(rows).toEqual(MIGRATIONS.map(({ id, name }) => ({ id, name })));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('refuses a database with a migration this build does not know', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(MIGRATIONS.length + 1, 'future', 'x');
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseVersionError);
  });

  it('refuses a database whose applied migrations are not a prefix of ours', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare('UPDATE schema_migrations SET name = ? WHERE id = 1').run('something else');
    db.close();
    expect(() => openDatabase(file)).toThrow(/not this build's/);
  });

  it('keeps migrations append-only: ids are 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.id)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('encrypts pages when a key is given and refuses to open without it', () => {
    const file = tempFile();
    const db = openDatabase(file, { key: 'correct horse' });
    db.prepare("INSERT INTO document_types VALUES ('X', 'Rahasia pegawai', 'Secret')").run();
    db.close();
    expect(() => openDatabase(file)).toThrow();
    const again = openDatabase(file, { key: 'correct horse' });
    expect(again.prepare('SELECT name_id FROM document_types').get()).toEqual({ name_id: 'Rahasia pegawai' });
    again.close();
  });
});

describe('statement', () => {
  it('prepares a statement once per database, and a kept one still runs after the schema changed', () => {
    const [a, b] = [openDatabase(tempFile()), openDatabase(tempFile())];
    for (const db of [a, b]) db.exec('CREATE TABLE t (x INTEGER)');
    const insert = statement(a, 'INSERT INTO t (x) VALUES (?)');
    expect(statement(a, 'INSERT INTO t (x) VALUES (?)')).toBe(insert);
    expect(statement(b, 'INSERT INTO t (x) VALUES (?)')).not.toBe(insert);
    insert.run(1);
    const all = statement(a, 'SELECT * FROM t');
    expect(all.all()).toEqual([{ x: 1 }]);
    a.exec('ALTER TABLE t ADD COLUMN y TEXT');
    insert.run(2);
    expect(all.all()).toEqual([
      { x: 1, y: null },
      { x: 2, y: null },
    ]);
    expect(statement(b, 'SELECT * FROM t').all()).toEqual([]);
    a.close();
    b.close();
  });
});
