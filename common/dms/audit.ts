// Audit ingest: a workstation posts its hash-chained audit entries (the rows of its own
// audit log, as they are, since the hash covers exactly those fields); the server checks
// every hash and that the batch continues the chain it holds for that device, and keeps
// them append-only. An admin of the instansi reads them as a feed.
import { z } from 'zod';
import { changesOf, ChangesQuery } from './reference';
import { routes } from './route';
import { sha256Schema } from './uploads';

/** One entry of a workstation's audit log (main/core/audit), field for field. */
export const AuditEntry = z.strictObject({
  id: z.number().int().positive(),
  at: z.string().min(1).max(40),
  actor: z.string().max(200),
  action: z.string().min(1).max(100),
  document_id: z.number().int().nullable(),
  nip: z.string().max(40).nullable(),
  /** JSON text, as stored and hashed. */
  detail: z.string().max(10_000),
  prev_hash: sha256Schema,
  hash: sha256Schema,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const MAX_AUDIT_ENTRIES_PER_BATCH = 1000;

export const StoredAuditEntry = AuditEntry.extend({ deviceId: z.string(), receivedAt: z.string() });
export type StoredAuditEntry = z.infer<typeof StoredAuditEntry>;

export const auditRoutes = routes({
  'audit.ingest': {
    method: 'POST',
    path: '/v1/audit/entries',
    summary:
      'Stores a batch of the calling device\'s audit entries, in id order, after checking each hash and that the first continues the chain already stored (genesis for a new device). Entries already stored (same id and hash) are skipped. A break: audit_chain_broken with details.id, and nothing of the batch is kept.',
    tag: 'audit',
    access: 'user',
    body: z.strictObject({ entries: z.array(AuditEntry).min(1).max(MAX_AUDIT_ENTRIES_PER_BATCH) }),
    response: z.object({
      /** Entries newly stored by this call. */
      stored: z.number().int(),
      /** The device's chain tail on the server after this call: send the entries after it next. */
      lastId: z.number().int(),
      lastHash: sha256Schema,
    }),
  },
  'audit.list': {
    method: 'GET',
    path: '/v1/audit/entries',
    summary: 'Audit entries of the instansi\'s devices in the order they arrived, since a cursor, optionally for one device, NIP or action (admin).',
    tag: 'audit',
    access: 'admin',
    query: ChangesQuery.extend({
      deviceId: z.uuid().optional(),
      nip: z.string().max(40).optional(),
      action: z.string().max(100).optional(),
    }),
    response: changesOf(StoredAuditEntry),
  },
});
