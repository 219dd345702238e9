// Opens a profile's SQLite database: WAL with synchronous FULL (a commit the clerk saw
// survives a power cut), foreign keys on, and the numbered migrations applied in one
// transaction each. Refuses a database newer than this build, or one whose applied
// migrations are not a prefix of ours.

import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../common/errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * `sql` prepared once per database and kept: for statements run once per document in a
 * loop of thousands (the sync's marks and outcomes), where preparing costs more than
 * running. SQLite prepares a kept statement again by itself after a schema change.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}

export interface OpenOptions {
  /** Page-encryption key (SQLCipher format); unset = plain file. */
  key?: string;
  readonly?: boolean;
  migrations?: readonly Migration[];
}

export class DatabaseVersionError extends AppError {
  constructor(
    readonly kind: 'too_new' | 'diverged',
    detail: string,
  ) {
    super('conflict', detail);
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    if (options.key !== undefined) {
      db.pragma(`cipher='sqlcipher'`);
      db.pragma(`key=${quoteSql(options.key)}`);
    }
    db.pragma('busy_timeout = 5000');
    // 64 MiB of decrypted pages (the default is 2 MiB): with page encryption every page read
    // from the OS cache is decrypted again, and a search over a million documents touches
    // far more than 2 MiB of index (bench/search.ts: about half the time of page-heavy queries).
    db.pragma('cache_size = -65536');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function quoteSql(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function appliedMigrations(db: Db): { id: number; name: string }[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  return db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as { id: number; name: string }[];
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const applied = appliedMigrations(db);
  if (applied.length > migrations.length) {
    throw new DatabaseVersionError('too_new', `database has migration ${applied.at(-1)!.id}, this build knows up to ${migrations.at(-1)?.id ?? 0}`);
  }
  applied.forEach((row, index) => {
    const known = migrations[index];
    if (row.id !== known.id || row.name !== known.name) {
      throw new DatabaseVersionError('diverged', `applied migration ${row.id} "${row.name}" is not this build's ${known.id} "${known.name}"`);
    }
  });
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations.slice(applied.length)) {
    db.transaction(() => {
      db.exec(migration.sql);
      migration.up?.(db);
      record.run(migration.id, migration.name, new Date().toISOString());
    })();
  }
}
