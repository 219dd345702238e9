// Every migration, in order. After a release, entries are only appended (see db.test.ts).
import * as m001 from './001-initial';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [{ id: 1, name: m001.name, sql: m001.sql }];
