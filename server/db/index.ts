// The server's database port: the same SQL on PostgreSQL (production, several nodes) and
// on PGlite (the embedded default of `npm run server`, one node). Values come back the
// same way from both: int8 as number, timestamptz as an ISO string.
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Sql {
  readonly kind: DbKind;
  /** BEGIN ... COMMIT on one connection; ROLLBACK when fn throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs fn on one dedicated connection (session-level advisory locks, LISTEN). On PGlite
   * there is only one connection, so this is the database itself.
   */
  session<T>(fn: (session: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbConfig {
  /** postgres://... for PostgreSQL; absent for PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's data directory; `memory://` for an in-memory database (tests). */
  dataDir: string;
  /** Pool size per node on PostgreSQL. */
  poolSize?: number;
}

export async function openDb(config: DbConfig): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.poolSize ?? 10) : openPglite(config.dataDir);
}

export const INT8_OID = 20;
export const TIMESTAMPTZ_OID = 1184;

export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} is beyond the safe integer range`);
  return n;
}

export function parseTimestamptz(value: string): string {
  // PostgreSQL's text form: `2026-11-24 20:04:44.123456+00` (offset without minutes).
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}
