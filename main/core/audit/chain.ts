// The audit log's hash chain, as pure functions: the canonical form of an entry, its
// hash, and the walk that finds the first entry that does not fit.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  document_id: number | null;
  nip: string | null;
  detail: string;
}

/** One line of JSON over every stored field, in a fixed order: the bytes the hash covers. */
export function canonical(row: AuditRow): string {
  return JSON.stringify([row.id, row.at, row.actor, row.action, row.document_id ?? null, row.nip ?? null, row.detail]);
}

export function entryHash(prevHash: string, row: AuditRow): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(row)).digest('hex');
}

/** Chains rows (in id order) from the genesis hash. */
export function chainRows(rows: AuditRow[]): { id: number; prevHash: string; hash: string }[] {
  let prev = GENESIS_HASH;
  return rows.map((row) => {
    const hash = entryHash(prev, row);
    const link = { id: row.id, prevHash: prev, hash };
    prev = hash;
    return link;
  });
}

export type ChainBreak = { id: number; reason: 'prev_hash' | 'hash' };

/** Walks stored rows in id order; returns the first entry whose links do not hold. */
export function findBreak(rows: Iterable<AuditRow & { prev_hash: string | null; hash: string | null }>): ChainBreak | null {
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (row.prev_hash !== prev) return { id: row.id, reason: 'prev_hash' };
    if (row.hash !== entryHash(prev, row)) return { id: row.id, reason: 'hash' };
    prev = row.hash;
  }
  return null;
}
