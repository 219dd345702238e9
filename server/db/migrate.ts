// Applies the numbered migrations in one transaction each, recorded in schema_migrations.
// Several nodes may start at once: a transaction-scoped advisory lock lets one migrate
// while the others wait. A database that has applied a migration this server does not
// know (newer), or whose applied list is not a prefix of ours (diverged), is refused.
import type { Db } from './index';
import { MIGRATIONS } from './migrations';

const MIGRATION_LOCK = 7_104_220_001; // any fixed int8, unique to this purpose

export class MigrationError extends Error {}

export async function migrate(db: Db, migrations = MIGRATIONS): Promise<{ applied: string[] }> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'create table if not exists schema_migrations (id int primary key, name text not null, applied_at timestamptz not null default now())',
    );
    const done = (await tx.query<{ id: number; name: string }>('select id, name from schema_migrations order by id')).rows;
    done.forEach((row, i) => {
      const known = migrations[i];
      if (!known) throw new MigrationError(`database has migration ${row.id} (${row.name}) which this server does not know: it is newer than this server`);
      if (known.id !== row.id || known.name !== row.name) {
        throw new MigrationError(`database migration ${row.id} (${row.name}) differs from this server's ${known.id} (${known.name})`);
      }
    });
    const applied: string[] = [];
    for (const migration of migrations.slice(done.length)) {
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [migration.id, migration.name]);
      applied.push(migration.name);
    }
    return { applied };
  });
}
