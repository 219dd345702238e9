// PostgreSQL adapter (node-postgres pool). Several server nodes share one database.
import pg from 'pg';
import { INT8_OID, parseInt8, parseTimestamptz, TIMESTAMPTZ_OID, type Db, type QueryResult, type Sql } from './index';

export async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_OID) return parseInt8;
      if (oid === TIMESTAMPTZ_OID) return parseTimestamptz;
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client whose server went away emits 'error'; the pool replaces it.
  pool.on('error', () => {});
  const wrap = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await client.query(text, params);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
  });
  // Fail at start, not on the first request, when the database is not reachable.
  await pool.query('select 1');
  return {
    kind: 'postgres',
    query: wrap(pool).query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn(wrap(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async session(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        return await fn(wrap(client));
      } catch (error) {
        broken = true;
        throw error;
      } finally {
        // A session may leave advisory locks or LISTENs behind when it fails: discard it.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
