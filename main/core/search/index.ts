// Search as you type over employee name, NIP, document number, type and notes (FTS5).
// Results are ordered by FTS rank with filters applied outside MATCH, and paged, so a
// list of a million documents stays fast (see search.test.ts for the query-plan check).

import type { DocumentState, SearchHit } from '../../../common/contract';
import type { Db } from '../../infra/db';
import { Where } from '../../infra/db/where';
import { DOCUMENT_SUMMARY_COLUMNS, documentSummaryFrom, type DocumentRow } from '../documents/rows';

/** The most matches counted for a total; past it the UI says "1.000+". */
export const TOTAL_CAP = 1000;

/**
 * Turns what a clerk types into an FTS5 query: every word is a prefix term and all must
 * match. A NIP typed with spaces or dots is one term. Returns null for nothing to search.
 */
export function ftsQuery(text: string): string | null {
  const trimmed = text.trim();
  const asNip = trimmed.replace(/[\s.-]/g, '');
  if (/^\d{8,18}$/.test(asNip)) return `"${asNip}"*`;
  const words = trimmed.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.slice(0, 12).map((word) => `"${word}"*`).join(' ');
}

export interface SearchInput {
  text: string;
  typeCode?: string;
  state?: DocumentState;
  unitKerja?: string;
  limit: number;
  offset: number;
}

export function buildSearch(input: SearchInput): { sql: string; countSql: string; params: unknown[] } {
  const match = ftsQuery(input.text);
  const from = match
    ? 'documents_fts f JOIN documents d ON d.id = f.rowid LEFT JOIN employees e ON e.nip = d.nip'
    : 'documents d LEFT JOIN employees e ON e.nip = d.nip';
  const { clause, params } = new Where()
    .add('documents_fts MATCH ?', match)
    .add('d.type_code = ?', input.typeCode)
    .add('d.state = ?', input.state)
    .add('e.unit_kerja = ?', input.unitKerja);
  const order = match ? 'ORDER BY f.rank' : 'ORDER BY d.id DESC';
  return {
    sql: `SELECT ${DOCUMENT_SUMMARY_COLUMNS} FROM ${from} ${clause} ${order} LIMIT ? OFFSET ?`,
    countSql: `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} ${clause} LIMIT ${TOTAL_CAP + 1})`,
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
