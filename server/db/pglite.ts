// PGlite adapter: PostgreSQL compiled to WebAssembly, in-process, one connection. The
// zero-setup default for a single node; its data directory is a real PostgreSQL cluster.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { INT8_OID, parseInt8, parseTimestamptz, TIMESTAMPTZ_OID, type Db, type QueryResult, type Sql } from './index';

export async function openPglite(dataDir: string): Promise<Db> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir, {
    parsers: { [INT8_OID]: parseInt8, [TIMESTAMPTZ_OID]: parseTimestamptz },
  });
  const wrap = (q: { query: PGlite['query'] }): Sql => ({
    async query<T>(text: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await q.query<T>(text, params);
      // pg's rowCount: rows returned for a SELECT, rows changed for an INSERT/UPDATE/DELETE.
      return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
    },
  });
  const db = wrap(pg);
  return {
    kind: 'pglite',
    query: db.query,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    session: (fn) => fn(db),
    close: () => pg.close(),
  };
}
