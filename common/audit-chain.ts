// The audit log's hash chain, as pure functions, defined once for both ends: the
// workstation chains and re-verifies its own log, the central server verifies the entries a
// workstation sends before it stores them. The canonical form of an entry, its hash, and
// the walk that finds the first entry that does not fit. SHA-256 is passed in by each side
// (node:crypto today), because common/ may not import node.

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

export type ChainBreak = { id: number; reason: 'prev_hash' | 'hash' };

/** One line of JSON over every stored field, in a fixed order: the bytes the hash covers. */
export function canonical(row: AuditRow): string {
  return JSON.stringify([row.id, row.at, row.actor, row.action, row.document_id ?? null, row.nip ?? null, row.detail]);
}

/** SHA-256 of a string's UTF-8 bytes, as lowercase hex. */
export type Sha256Hex = (text: string) => string;

export interface AuditChain {
  entryHash(prevHash: string, row: AuditRow): string;
  /** Chains rows (in id order) from the genesis hash. */
  chainRows(rows: AuditRow[]): { id: number; prevHash: string; hash: string }[];
  /**
   * Walks rows in id order from `start` (the hash of the entry before the first row: the
   * genesis hash for a whole log); returns the first entry whose links do not hold.
   */
  findBreak(rows: Iterable<AuditRow & { prev_hash: string | null; hash: string | null }>, start?: string): ChainBreak | null;
}

export function auditChain(sha256Hex: Sha256Hex): AuditChain {
  const entryHash = (prevHash: string, row: AuditRow) => sha256Hex(`${prevHash}\n${canonical(row)}`);
  return {
    entryHash,
    chainRows(rows) {
      let prev = GENESIS_HASH;
      return rows.map((row) => {
        const hash = entryHash(prev, row);
        const link = { id: row.id, prevHash: prev, hash };
        prev = hash;
        return link;
      });
    },
    findBreak(rows, start = GENESIS_HASH) {
      let prev = start;
      for (const row of rows) {
        if (row.prev_hash !== prev) return { id: row.id, reason: 'prev_hash' };
        if (row.hash !== entryHash(prev, row)) return { id: row.id, reason: 'hash' };
        prev = row.hash;
      }
      return null;
    },
  };
}
