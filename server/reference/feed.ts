// Change feeds: every synced list (documents, employees, document types, audit entries) is
// read as "what changed after cursor C", per instansi, and a reader must never pass over a
// change that commits after it has read. Why a plain sequence is not enough, and what is:
//
// A sequence (or a counter) hands out numbers when a row is written, but rows become
// visible when their transaction commits, in any order. Writer 1 takes 41, writer 2 takes
// 42 and commits first; a reader that sees 42 moves its cursor past 41, and when 41 commits
// it is never read. Making writers take turns (a counter row locked until commit) closes
// that gap, but then every commit of an instansi waits for the previous one's WAL flush
// (tried first: with 20 workstations of one instansi, bench/server-commit.ts measured 86
// commits/s, and 206/s with the scheme below, on the same machine).
//
// So each change is stamped with its transaction's id (pg_current_xact_id(), 64-bit, never
// wraps) and a sequence number for order within the transaction, and feeds are read in
// (xid, seq) order, returning only rows whose xid is below the reader's snapshot xmin: the
// oldest transaction still running. Everything below xmin has finished, so no row with such
// a stamp can appear later; a transaction still running holds back its own rows and every
// later one until it ends. A reader's cursor therefore only ever passes changes that are
// final. Writers take no lock, so commits flush together. The cost: a long write
// transaction anywhere in the cluster delays (never loses) what feeds show until it ends.
import type { ChangesQuery } from '../../common/dms/reference';

/** The stamp of a change, for a row's (change_xid, change_seq) columns, in that order. */
export const STAMP = "pg_current_xact_id(), nextval('change_seq')";

/** Assignments that restamp a changed row (in an UPDATE or ON CONFLICT DO UPDATE). */
export const RESTAMP = "change_xid = pg_current_xact_id(), change_seq = nextval('change_seq')";

/**
 * The feed condition and order, for `where <instansi filter> and ${feedSql(n)}`: the rows
 * after the cursor in parameters $n (xid) and $n+1 (seq), finished ones only, at most the
 * page size + 1 in $n+2 (the extra row only tells whether there is more).
 */
export function feedSql(n: number): string {
  return `(change_xid, change_seq) > ($${n}::xid8, $${n + 1}::bigint) and change_xid < pg_snapshot_xmin(pg_current_snapshot())
          order by change_xid, change_seq limit $${n + 2}`;
}

/** The parameters feedSql(n) expects, from a feed query. */
export function feedParams(page: ChangesQuery): [string, string, number] {
  const [xid, seq = '0'] = page.since.split('.');
  return [xid, seq, page.limit + 1];
}

/** Turns rows read with feedSql into a page of the feed; `next` is the last row's stamp. */
export function feedPage<R extends { change_xid: string; change_seq: number }, T>(rows: R[], page: ChangesQuery, map: (row: R) => T): { items: T[]; next: string; more: boolean } {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), next: last ? `${last.change_xid}.${last.change_seq}` : page.since, more };
}
