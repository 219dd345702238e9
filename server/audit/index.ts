// server/audit: the handlers of the `audit.*` routes declared in common/dms/audit.ts.
// Ingest verifies a device's batch against the chain the server already holds for that
// device before keeping any of it: every hash must match its entry, the first new entry
// must link to the stored tail (genesis for a new device), entries already stored must be
// the same ones. The device's chain row is locked for the transaction, so two batches of
// one device cannot both extend the same tail.
import type { AuditEntry, StoredAuditEntry } from '../../common/dms/audit';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import type { Handlers } from '../http/routes';
import { feedPage, feedParams, feedSql, STAMP } from '../reference';
import { findBreak, GENESIS_HASH } from './chain';

type Own = { [K in keyof Handlers as K extends `audit.${string}` ? K : never]: Handlers[K] };

type StoredRow = AuditEntry & { device_id: string; received_at: string; change_xid: string; change_seq: number };

const ENTRY_COLUMNS = ['id', 'at', 'actor', 'action', 'document_id', 'nip', 'detail', 'prev_hash', 'hash'] as const;
const ENTRY_TYPES = ['bigint', 'text', 'text', 'text', 'bigint', 'text', 'text', 'text', 'text'];

function chainBroken(id: number, reason: string, tail: { last_id: number; last_hash: string }): DmsError {
  return new DmsError('audit_chain_broken', `Audit entry ${id} does not continue the chain (${reason}); nothing of this batch was stored.`, {
    id,
    reason,
    lastId: tail.last_id,
    lastHash: tail.last_hash,
  });
}

export function auditHandlers(deps: ServerDeps): Own {
  const { db } = deps;
  return {
    'audit.ingest': async ({ principal, body }) => {
      const entries = body.entries;
      const unordered = entries.find((entry, i) => i > 0 && entry.id <= entries[i - 1].id);
      if (unordered) throw new DmsError('invalid_input', `Entries must be in increasing id order; ${unordered.id} is not.`, { id: unordered.id });
      const at = new Date(deps.now()).toISOString();
      return db.transaction(async (tx) => {
        await tx.query(
          'insert into audit_chains (device_id, instansi_id, last_id, last_hash, updated_at) values ($1, $2, 0, $3, $4) on conflict (device_id) do nothing',
          [principal.deviceId, principal.instansiId, GENESIS_HASH, at],
        );
        const tail = (await tx.query<{ last_id: number; last_hash: string }>('select last_id, last_hash from audit_chains where device_id = $1 for update', [principal.deviceId])).rows[0];
        const resent = entries.filter((entry) => entry.id <= tail.last_id);
        if (resent.length > 0) {
          const { rows } = await tx.query<{ id: number; hash: string }>('select id, hash from audit_entries where device_id = $1 and id = any($2::bigint[])', [
            principal.deviceId,
            resent.map((entry) => entry.id),
          ]);
          const stored = new Map(rows.map((row) => [row.id, row.hash]));
          const differs = resent.find((entry) => stored.get(entry.id) !== entry.hash);
          if (differs) throw chainBroken(differs.id, 'differs_from_stored', tail);
        }
        const fresh = entries.slice(resent.length);
        const broken = findBreak(fresh, tail.last_hash);
        if (broken) throw chainBroken(broken.id, broken.reason, tail);
        if (fresh.length === 0) return { stored: 0, lastId: tail.last_id, lastHash: tail.last_hash };
        const n = ENTRY_COLUMNS.length;
        await tx.query(
          `insert into audit_entries (device_id, instansi_id, ${ENTRY_COLUMNS.join(', ')}, change_xid, change_seq, received_at, received_by)
           select $1, $2, ${ENTRY_COLUMNS.map((c) => `e.${c}`).join(', ')}, ${STAMP}, $${n + 3}::timestamptz, $${n + 4}::bigint
             from unnest(${ENTRY_TYPES.map((type, i) => `$${i + 3}::${type}[]`).join(', ')}) as e(${ENTRY_COLUMNS.join(', ')})`,
          [principal.deviceId, principal.instansiId, ...ENTRY_COLUMNS.map((column) => fresh.map((entry) => entry[column])), at, principal.userId],
        );
        const last = fresh[fresh.length - 1];
        await tx.query('update audit_chains set last_id = $2, last_hash = $3, updated_at = $4 where device_id = $1', [principal.deviceId, last.id, last.hash, at]);
        return { stored: fresh.length, lastId: last.id, lastHash: last.hash };
      });
    },

    'audit.list': async ({ principal, query }) => {
      const params: unknown[] = [principal.instansiId];
      const filters = (
        [
          ['device_id', query.deviceId],
          ['nip', query.nip],
          ['action', query.action],
        ] as const
      )
        .filter(([, value]) => value !== undefined)
        .map(([column, value]) => `and ${column} = $${params.push(value)}`);
      const { rows } = await db.query<StoredRow>(
        `select device_id, ${ENTRY_COLUMNS.join(', ')}, change_xid, change_seq, received_at from audit_entries
          where instansi_id = $1 ${filters.join(' ')} and ${feedSql(params.length + 1)}`,
        [...params, ...feedParams(query)],
      );
      return feedPage(rows, query, (row): StoredAuditEntry => ({
        id: row.id,
        at: row.at,
        actor: row.actor,
        action: row.action,
        document_id: row.document_id,
        nip: row.nip,
        detail: row.detail,
        prev_hash: row.prev_hash,
        hash: row.hash,
        deviceId: row.device_id,
        receivedAt: row.received_at,
      }));
    },
  };
}
