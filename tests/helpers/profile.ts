// Test helpers: a throwaway profile directory with the real database, blob store and
// reference data, and a fixed clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { t, type MessageKey, type MessageParams } from '../../common/i18n';
import type { Clock, Translate } from '../../main/core/ports';
import { openDatabase, type Db } from '../../main/infra/db';
import { findResourcesDir, loadReferenceData } from '../../main/infra/reference';

export const FIXED_NOW = new Date('2026-11-24T09:00:00+07:00');
export const fixedClock: Clock = { now: () => FIXED_NOW };
export const translateId: Translate = (key: MessageKey, params?: MessageParams) => t('id', key, params);
export const resourcesDir = findResourcesDir(import.meta.dirname);

export function tempDir(prefix = 'lemari-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function referenceData() {
  return loadReferenceData(resourcesDir, '/nonexistent', translateId);
}

/** A migrated database in a temp dir with document types loaded, as openProfile leaves it. */
export function testDb(): { db: Db; dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(join(dir, 'lemari.db'));
  const insert = db.prepare('INSERT INTO document_types VALUES (?, ?, ?)');
  for (const type of referenceData().documentTypes) insert.run(type.code, type.name.id, type.name.en);
  return {
    db,
    dir,
    cleanup: () => {
      db.close();
      cleanup();
    },
  };
}
