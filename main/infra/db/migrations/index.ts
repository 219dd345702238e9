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
// Sync run reports (issue 5).
import * as m009 from './009-sync-runs';
// Down-sync index and edits after sync (issue 5).
import * as m010 from './010-dms-index';
// Verification (issue 7).
import * as m011 from './011-review';
// Retention (issue 7).
import * as m012 from './012-retention';
// Completeness daily progress (issue 7).
import * as m013 from './013-completeness-daily';
// OCR text, its queue and the search column (issue 6).
import * as m014 from './014-ocr';
// Size budget: optimizer proposals and originals kept until verified (issue 6).
import * as m015 from './015-optimize';
// Employee history (riwayat) for the completeness rules (issue 7).
import * as m016 from './016-history';
// A rejected disposal proposal keeps its record: state 'ditolak' (issue 7).
import * as m017 from './017-retention-rejected';
// Completeness counts a verifier's rejection; daily progress per unit kerja (issue 7).
import * as m018 from './018-completeness-review';
// A clerk's pause of the sync survives a restart (issue 5).
import * as m019 from './019-sync-hold';

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
  // Sync run reports (issue 5).
  { id: 9, name: m009.name, sql: m009.sql },
  // Down-sync index and edits after sync (issue 5).
  { id: 10, name: m010.name, sql: m010.sql },
  // Verification (issue 7).
  { id: 11, name: m011.name, sql: m011.sql },
  // Retention (issue 7).
  { id: 12, name: m012.name, sql: m012.sql },
  // Completeness daily progress (issue 7).
  { id: 13, name: m013.name, sql: m013.sql },
  // OCR text, its queue and the search column (issue 6).
  { id: 14, name: m014.name, sql: m014.sql },
  // Size budget: optimizer proposals and originals kept until verified (issue 6).
  { id: 15, name: m015.name, sql: m015.sql },
  // Employee history (riwayat) for the completeness rules (issue 7).
  { id: 16, name: m016.name, sql: m016.sql },
  // A rejected disposal proposal keeps its record: state 'ditolak' (issue 7).
  { id: 17, name: m017.name, sql: m017.sql, up: m017.up },
  // Completeness counts a verifier's rejection; daily progress per unit kerja (issue 7).
  { id: 18, name: m018.name, sql: m018.sql },
  // A clerk's pause of the sync survives a restart (issue 5).
  { id: 19, name: m019.name, sql: m019.sql },
];
