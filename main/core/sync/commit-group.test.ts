import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitGroup } from './commit-group';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

/** A WAL database file and a second connection that sees only what was committed. */
function files() {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-group-'));
  const db = new Database(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE marks (n INTEGER PRIMARY KEY)');
  const other = new Database(join(dir, 'db.sqlite'), { readonly: true });
  cleanups.push(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const committed = () => (other.prepare('SELECT n FROM marks ORDER BY n').all() as { n: number }[]).map((row) => row.n);
  return { db, committed };
}

describe('CommitGroup', () => {
  it('commits a group once it is full, and what is left on flush', () => {
    const { db, committed } = files();
    const group = new CommitGroup(db, { size: 3, ms: 60_000, onError: (error) => expect.fail(String(error)) });
    const insert = db.prepare('INSERT INTO marks (n) VALUES (?)');
    for (const n of [1, 2]) group.add(() => insert.run(n));
    expect(committed()).toEqual([]);
    group.add(() => insert.run(3));
    expect(committed()).toEqual([1, 2, 3]);
    group.add(() => insert.run(4));
    expect(committed()).toEqual([1, 2, 3]);
    group.flush();
    expect(committed()).toEqual([1, 2, 3, 4]);
  });

  it('commits a group that does not fill after its time', async () => {
    const { db, committed } = files();
    const group = new CommitGroup(db, { size: 32, ms: 30, onError: (error) => expect.fail(String(error)) });
    group.add(() => db.prepare('INSERT INTO marks (n) VALUES (7)').run());
    expect(committed()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(committed()).toEqual([7]);
  });

  it('undoes a write that throws alone and reports it; the rest of its group commits', () => {
    const { db, committed } = files();
    const errors: unknown[] = [];
    const group = new CommitGroup(db, { size: 3, ms: 60_000, onError: (error) => errors.push(error) });
    const insert = db.prepare('INSERT INTO marks (n) VALUES (?)');
    group.add(() => insert.run(1));
    group.add(() => {
      insert.run(2);
      throw new Error('half done');
    });
    group.add(() => insert.run(3));
    expect(committed()).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('half done');
  });
});
