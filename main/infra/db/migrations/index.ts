// Every migration, in order. After a release, entries are only appended (see db.test.ts).
import type { Db } from '..';
import * as m001 from './001-initial';
import * as m002 from './002-accounts';
import * as m003 from './003-audit-chain';
import * as m004 from './004-sync-cursors';
import * as m005 from './005-search-keys';
import * as m006 from './006-server-sessions';
import * as m007 from './007-sync';
import * as m008 from './008-completeness';

export interface Migration {
  id: number;
  name: string;
  sql: string;
  /** Work SQL cannot express, run after `sql` in the same transaction. */
  up?: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: m001.name, sql: m001.sql },
  { id: 2, name: m002.name, sql: m002.sql },
  { id: 3, name: m003.name, sql: m003.sql, up: m003.up },
  { id: 4, name: m004.name, sql: m004.sql },
  { id: 5, name: m005.name, sql: m005.sql },
  { id: 6, name: m006.name, sql: m006.sql },
  { id: 7, name: m007.name, sql: m007.sql },
  { id: 8, name: m008.name, sql: m008.sql },
];
