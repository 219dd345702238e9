// Search as you type over employee name, NIP, document number, type and notes (FTS5).
// Every query with text or filters is one FTS5 MATCH: the text over the text columns, the
// filters as exact tokens of the `keys` column (migration 005), so FTS5 intersects posting
// lists and nothing is joined row by row to test a filter. Results come newest first, the
// order FTS5 reads its rowids in, so a page stops after its rows: no query ranks or sorts
// all its matches (bm25 reads the whole posting list of every word: 0.4-0.9 s for "sk" or
// "pdf" at a million documents). bench/search.ts has the figures, search.test.ts the plans.

import type { DocumentState, SearchHit } from '../../../common/contract';
import type { Db } from '../../infra/db';
import { Where } from '../../infra/db/where';
import { DOCUMENT_SUMMARY_COLUMNS, documentSummaryFrom, type DocumentRow } from '../documents/rows';

/** The most matches counted for a total; past it the UI says "1.000+". */
export const TOTAL_CAP = 1000;
// `ocr`: the words read from the pages (issue 6, migration 014).
const TEXT_COLUMNS = '{nip nama nomor jenis notes name ocr}';

/**
 * Turns what a clerk types into an FTS5 query; all words must match. Words before the last
 * are complete (the clerk typed past them), the last is a prefix (it may be half typed). A
 * word with punctuation inside (an SK number 800/1234/BKD/2019, S.Pd.) is one phrase of its
 * pieces: as separate prefix terms, "1"* or "6"* would each match most of the index. A NIP
 * typed with spaces or dots is one prefix term. Returns null for nothing to search.
 */
export function ftsQuery(text: string): string | null {
  const trimmed = text.trim();
  const asNip = trimmed.replace(/[\s.-]/g, '');
  if (/^\d{8,18}$/.test(asNip)) return `"${asNip}"*`;
  const phrases = trimmed
    .toLowerCase()
    .split(/\s+/)
    .map((chunk) => chunk.match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((words) => words.length > 0)
    .slice(0, 12);
  if (phrases.length === 0) return null;
  return phrases.map((words, i) => `"${words.slice(0, 12).join(' ')}"${i === phrases.length - 1 ? '*' : ''}`).join(' ');
}

function hex(text: string): string {
  return Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export interface SearchInput {
  text: string;
  typeCode?: string;
  state?: DocumentState;
  unitKerja?: string;
  limit: number;
  offset: number;
}

/** The MATCH expression: the text over the text columns, each filter as its `keys` token. */
export function searchMatch(input: SearchInput): string | null {
  const text = ftsQuery(input.text);
  // The tokens documents_fts_source writes (SQLite's hex() is upper case; FTS5 folds case).
  const keys = [input.typeCode && `"t${hex(input.typeCode)}"`, input.state && `"s${input.state}"`, input.unitKerja && `"u${hex(input.unitKerja)}"`].filter(Boolean);
  const parts = [text && `${TEXT_COLUMNS} : (${text})`, keys.length > 0 && `keys : (${keys.join(' ')})`].filter(Boolean);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

export function buildSearch(input: SearchInput): { sql: string; countSql: string; params: unknown[] } {
  const match = searchMatch(input);
  const { clause, params } = new Where().add('documents_fts MATCH ?', match);
  if (!match) {
    return {
      sql: `SELECT ${DOCUMENT_SUMMARY_COLUMNS} FROM documents d LEFT JOIN employees e ON e.nip = d.nip ORDER BY d.id DESC LIMIT ? OFFSET ?`,
      countSql: `SELECT count(*) AS n FROM (SELECT 1 FROM documents LIMIT ${TOTAL_CAP + 1})`,
      params,
    };
  }
  return {
    sql: `SELECT ${DOCUMENT_SUMMARY_COLUMNS} FROM documents_fts f JOIN documents d ON d.id = f.rowid LEFT JOIN employees e ON e.nip = d.nip ${clause} ORDER BY f.rowid DESC LIMIT ? OFFSET ?`,
    // Every row of the index is a document: no join is needed to count.
    countSql: `SELECT count(*) AS n FROM (SELECT 1 FROM documents_fts ${clause} LIMIT ${TOTAL_CAP + 1})`,
    params,
  };
}

export function createSearch(deps: { db: Db }) {
  return {
    query(input: SearchInput): { items: SearchHit[]; total: number; totalCapped: boolean } {
      const { sql, countSql, params } = buildSearch(input);
      const rows = deps.db.prepare(sql).all(...params, input.limit, input.offset) as DocumentRow[];
      const counted = (deps.db.prepare(countSql).get(...params) as { n: number }).n;
      return {
        items: rows.map((row) => ({ ...documentSummaryFrom(row), unitKerja: row.unit_kerja })),
        total: Math.min(counted, TOTAL_CAP),
        totalCapped: counted > TOTAL_CAP,
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearch>;
