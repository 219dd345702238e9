// Builds (or reuses) a profile database full of generated employees and documents, through
// the real schema: openDatabase applies the migrations and the schema's triggers fill both
// FTS5 indexes, exactly as imports and labelling do in the app. Employees go in first, with
// the SIASN history of most of them, then documents folder by folder (a clerk scans one
// employee's map arsip at a time), in big transactions. The result is cached in .bench-data/ under a key made of the sizes, the
// generator version and a hash of the migrations, so a schema change regenerates it.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { t } from '../../common/i18n';
import { openDatabase, type Db } from '../../main/infra/db';
import { MIGRATIONS } from '../../main/infra/db/migrations';
import { findResourcesDir, loadReferenceData } from '../../main/infra/reference';
import { cacheDir, count, ROOT, seconds } from './common';
import { HistoryGenerator } from './history';
import { DocumentGenerator, PeopleGenerator, type EmployeeRow } from './people';

/** Bump when the generator's output changes, so cached databases are rebuilt. */
const GENERATOR_VERSION = 3;
const SEED = 20261124;
const UNLABELLED_SHARE = 0.12;
const TRANSACTION_ROWS = 50_000;
/**
 * Profiles are page-encrypted (SQLCipher) with a random raw key the secret store seals
 * (main/infra/secrets/database-key.ts); the bench's database is encrypted the same way,
 * with this fixed key, so every page read pays the decryption a clerk's machine pays.
 */
export const BENCH_DB_KEY_HEX = '6c656d6172692062656e6368206b6579206f6e6c792c206e6f74207365637265';
export const BENCH_DB_KEY = `x'${BENCH_DB_KEY_HEX}'`;

export interface SearchDataMeta {
  documents: number;
  employees: number;
  seed: number;
  generatorVersion: number;
  generationMs: number;
  fileBytes: number;
  /** Most frequent terms of documents_fts by number of documents holding them. */
  topTerms: { term: string; documents: number }[];
}

export interface SearchData {
  dir: string;
  file: string;
  meta: SearchDataMeta;
  cached: boolean;
}

export const DATABASE_FILE = 'lemari.db';

export function searchDataKey(documents: number, employees: number): string {
  const schema = createHash('sha256').update(MIGRATIONS.map((m) => `${m.id}:${m.name}:${m.sql}:${m.up?.toString() ?? ''}`).join('\n')).digest('hex').slice(0, 10);
  return `search-${documents}d-${employees}e-g${GENERATOR_VERSION}-enc-${schema}`;
}

/** Loads the shipped document types the way openProfile does (search indexes their names). */
function loadDocumentTypes(db: Db): void {
  const reference = loadReferenceData(findResourcesDir(ROOT), '/nonexistent', (key, params) => t('en', key, params));
  const insert = db.prepare('INSERT INTO document_types (code, name_id, name_en) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING');
  db.transaction(() => reference.documentTypes.forEach((type) => insert.run(type.code, type.name.id, type.name.en)))();
}

/** The terms most documents hold in a text column (not a filter column a later schema may add). */
export function topTerms(db: Db, limit: number): { term: string; documents: number }[] {
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_documents_vocab USING fts5vocab(main, documents_fts, col)');
  try {
    return db
      .prepare(`SELECT term, max(doc) AS documents FROM temp.bench_documents_vocab WHERE col IN ('nip', 'nama', 'nomor', 'jenis', 'notes', 'name') GROUP BY term ORDER BY documents DESC LIMIT ?`)
      .all(limit) as { term: string; documents: number }[];
  } finally {
    db.exec('DROP TABLE temp.bench_documents_vocab');
  }
}

export function ensureSearchData(sizes: { documents: number; employees: number }, options: { fresh: boolean; log: (line: string) => void }): SearchData {
  const key = searchDataKey(sizes.documents, sizes.employees);
  const dir = join(cacheDir(), key);
  const file = join(dir, DATABASE_FILE);
  const metaFile = join(dir, 'meta.json');
  if (!options.fresh && existsSync(metaFile) && existsSync(file)) {
    return { dir, file, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as SearchDataMeta, cached: true };
  }
  // Databases of the same sizes built for an older schema or generator only take disk space.
  const prefix = `search-${sizes.documents}d-${sizes.employees}e-`;
  for (const stale of readdirSync(cacheDir()).filter((name) => name.startsWith(prefix))) rmSync(join(cacheDir(), stale), { recursive: true, force: true });
  // Build beside the final place and rename at the end: an interrupted run leaves no half cache.
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const started = performance.now();
  const db = openDatabase(join(building, DATABASE_FILE), { key: BENCH_DB_KEY });
  try {
    loadDocumentTypes(db);
    const people = new PeopleGenerator(SEED);
    const docs = new DocumentGenerator(people.random, SEED);
    const insertEmployee = db.prepare(
      `INSERT INTO employees (nip, kind, nama, tempat_lahir, tanggal_lahir, golongan, jabatan, unit_kerja, kedudukan_hukum, updated_at)
       VALUES (@nip, @kind, @nama, @tempat_lahir, @tanggal_lahir, @golongan, @jabatan, @unit_kerja, @kedudukan_hukum, '2025-01-06T01:00:00.000Z')`,
    );
    const insertDocument = db.prepare(
      `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, type_code, nomor, tanggal, fields, notes, guess_nip, guess_type, state, created_at, updated_at)
       VALUES (@sha256, @source_sha256, @original_name, @size, @source_size, @page_count, @source_kind, @nip, @type_code, @nomor, @tanggal, @fields, @notes, @guess_nip, @guess_type, @state, @created_at, @updated_at)`,
    );

    const employees: EmployeeRow[] = [];
    for (let i = 0; i < sizes.employees; i++) employees.push(people.employee());
    for (let i = 0; i < employees.length; i += TRANSACTION_ROWS) {
      db.transaction(() => {
        for (const row of employees.slice(i, i + TRANSACTION_ROWS)) insertEmployee.run(row);
      })();
    }
    const employeesMs = performance.now() - started;
    options.log(`  employees: ${count(employees.length)} in ${seconds(employeesMs)}`);

    // Generator 3: the SIASN history of a share of the employees (bench/lib/history.ts), for
    // the completeness rules that count from it; its own random source leaves the rest as it was.
    const history = new HistoryGenerator(SEED + 16);
    const insertHistory = db.prepare(
      `INSERT INTO employee_history (nip, kind, record_key, golongan, jabatan, tingkat, jurusan, tahun_lulus, tmt, selesai, nomor_sk, imported_at, imported_by)
       VALUES (@nip, @kind, @record_key, @golongan, @jabatan, @tingkat, @jurusan, @tahun_lulus, @tmt, @selesai, @nomor_sk, '2025-01-06T01:00:00.000Z', 'bench')`,
    );
    let records = 0;
    for (let i = 0; i < employees.length; i += TRANSACTION_ROWS) {
      db.transaction(() => {
        for (const row of employees.slice(i, i + TRANSACTION_ROWS)) {
          for (const record of history.records(row)) {
            insertHistory.run(record);
            records++;
          }
        }
      })();
    }
    options.log(`  history: ${count(records)} records in ${seconds(performance.now() - started - employeesMs)}`);

    // Folders in a shuffled order, each scanned in one go; some scans stay unlabelled drafts.
    const order = people.random.shuffle(employees.map((_, i) => i));
    const mean = (sizes.documents * (1 - UNLABELLED_SHARE)) / sizes.employees;
    let made = 0;
    let cursor = 0;
    let lastLog = performance.now();
    while (made < sizes.documents) {
      db.transaction(() => {
        const stop = Math.min(sizes.documents, made + TRANSACTION_ROWS);
        while (made < stop) {
          const employee = employees[order[cursor++ % order.length]];
          for (let n = docs.folderSize(mean); n > 0 && made < stop; n--) {
            insertDocument.run(docs.document(people.random.chance(UNLABELLED_SHARE) ? null : employee));
            made++;
          }
        }
      })();
      if (performance.now() - lastLog > 10_000 || made === sizes.documents) {
        lastLog = performance.now();
        options.log(`  documents: ${count(made)} / ${count(sizes.documents)} after ${seconds(performance.now() - started)}`);
      }
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const generationMs = performance.now() - started;
    const meta: SearchDataMeta = {
      documents: sizes.documents,
      employees: sizes.employees,
      seed: SEED,
      generatorVersion: GENERATOR_VERSION,
      generationMs,
      fileBytes: 0,
      topTerms: topTerms(db, 25),
    };
    db.close();
    meta.fileBytes = statSync(join(building, DATABASE_FILE)).size;
    writeFileSync(join(building, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    renameSync(building, dir);
    return { dir, file, meta, cached: false };
  } catch (error) {
    if (db.open) db.close();
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
}
