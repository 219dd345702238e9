// The audit log: who did what, when, to which document or employee. Append-only and
// hash-chained (see chain.ts); an edited, deleted or reordered entry is found by verify().
// Writers append inside their own write transaction, so a change and its audit entry
// commit together.

import type { Db } from '../../infra/db';
import { Where } from '../../infra/db/where';
import type { Clock } from '../ports';
import { GENESIS_HASH, entryHash, findBreak, type AuditRow, type ChainBreak } from './chain';

export interface AuditEntry {
  actor: string;
  action: string;
  documentId?: number | null;
  nip?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  nip?: string;
  /** ISO timestamps, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  documentId: number | null;
  nip: string | null;
  detail: Record<string, unknown>;
}

/** Runs fn in a transaction that takes the write lock first, so the chain's tail cannot move under it. */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.inTransaction ? fn() : db.transaction(fn).immediate();
}

export function createAuditLog(deps: { db: Db; clock: Clock }) {
  const { db } = deps;
  const tail = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
  const insert = db.prepare('INSERT INTO audit_log (id, at, actor, action, document_id, nip, detail, prev_hash, hash) VALUES (@id, @at, @actor, @action, @document_id, @nip, @detail, @prev_hash, @hash)');
  const nextId = db.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM audit_log');

  function filterSql(filter: Omit<AuditFilter, 'limit' | 'offset'>): { clause: string; params: unknown[] } {
    return new Where().add('actor = ?', filter.actor).add('action = ?', filter.action).add('nip = ?', filter.nip).add('at >= ?', filter.from).add('at < ?', filter.to);
  }

  return {
    append(entry: AuditEntry): number {
      return writeTransaction(db, () => {
        const prev = (tail.get() as { hash: string | null } | undefined)?.hash ?? GENESIS_HASH;
        const row: AuditRow = {
          id: (nextId.get() as { id: number }).id,
          at: deps.clock.now().toISOString(),
          actor: entry.actor,
          action: entry.action,
          document_id: entry.documentId ?? null,
          nip: entry.nip ?? null,
          detail: JSON.stringify(entry.detail ?? {}),
        };
        insert.run({ ...row, prev_hash: prev, hash: entryHash(prev, row) });
        return row.id;
      });
    },

    /** Re-walks the whole chain; null when every entry holds. */
    verify(): { entries: number; firstBreak: ChainBreak | null } {
      const rows = db.prepare('SELECT id, at, actor, action, document_id, nip, detail, prev_hash, hash FROM audit_log ORDER BY id').iterate() as IterableIterator<
        AuditRow & { prev_hash: string | null; hash: string | null }
      >;
      let entries = 0;
      const counted = (function* () {
        for (const row of rows) {
          entries++;
          yield row;
        }
      })();
      const firstBreak = findBreak(counted);
      if (firstBreak) for (const row of rows) void row; // drain so the statement resets
      return { entries, firstBreak };
    },

    /** Entries not yet sent to the server (with their chain links, which the server re-verifies). */
    pending(limit: number): (AuditRow & { prev_hash: string; hash: string })[] {
      return db
        .prepare('SELECT a.id, a.at, a.actor, a.action, a.document_id, a.nip, a.detail, a.prev_hash, a.hash FROM audit_log a WHERE a.id > (SELECT last_id FROM sync_cursors WHERE name = ?) ORDER BY a.id LIMIT ?')
        .all('audit', limit) as (AuditRow & { prev_hash: string; hash: string })[];
    },

    /** Records that the server has every entry up to and including `id`. */
    markSent(id: number): void {
      db.prepare('UPDATE sync_cursors SET last_id = max(last_id, ?), updated_at = ? WHERE name = ?').run(id, deps.clock.now().toISOString(), 'audit');
    },

    list(filter: AuditFilter): { items: AuditRecord[]; total: number } {
      const { clause, params } = filterSql(filter);
      const rows = db.prepare(`SELECT id, at, actor, action, document_id, nip, detail FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset) as AuditRow[];
      const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...params) as { n: number }).n;
      return {
        items: rows.map((row) => ({ id: row.id, at: row.at, actor: row.actor, action: row.action, documentId: row.document_id, nip: row.nip, detail: JSON.parse(row.detail) as Record<string, unknown> })),
        total,
      };
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
export { GENESIS_HASH, entryHash, findBreak } from './chain';
