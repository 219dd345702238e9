// Fixtures for the server's document, reference and audit tests: complete uploads made
// the way the tus handler leaves them (bytes in the blob store under their hash, a row with
// status 'complete'), a valid commit body, a snapshot of table sizes to prove that a refused
// request wrote nothing, and workstation-style hash-chained audit entries.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { auditChain, type AuditRow } from '../../common/audit-chain';
import type { AuditEntry } from '../../common/dms/audit';
import { blobKey } from '../../server/blobs';
import type { Sql } from '../../server/db';
import type { SeededUser, TestServer } from './server';

/** Valid PNS NIPs (birth date, TMT CPNS, gender, serial), none in the future. */
export const NIPS = ['198503152010012003', '199001012015031001', '197905122005011002', '198812302014022001'] as const;

export function pdfBytes(text = randomBytes(8).toString('hex')): Buffer {
  return Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`);
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface Upload {
  id: string;
  sha256: string;
  size: number;
  bytes: Buffer;
}

/** An upload as the tus handler leaves it; `status` other than complete for the refusals. */
export async function completeUpload(
  server: TestServer,
  owner: { instansiId: string; user: SeededUser },
  opts: { bytes?: Buffer; fileName?: string; status?: 'complete' | 'receiving' | 'rejected' | 'expired' } = {},
): Promise<Upload> {
  const bytes = opts.bytes ?? pdfBytes();
  const hash = sha256(bytes);
  const status = opts.status ?? 'complete';
  const id = randomBytes(16).toString('hex');
  if (status === 'complete') await server.deps.blobs.write(blobKey(hash), Readable.from([bytes]));
  await server.deps.db.query(
    `insert into uploads (id, instansi_id, device_id, user_id, file_name, declared_sha256, size, status, blob_key, completed_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, case when $8 = 'complete' then now() end)`,
    [id, owner.instansiId, owner.user.deviceId, owner.user.userId, opts.fileName ?? 'SK PNS.pdf', hash, bytes.length, status, status === 'complete' ? blobKey(hash) : null],
  );
  return { id, sha256: hash, size: bytes.length, bytes };
}

/** A commit body that passes: an SK PNS with its required fields. */
export function commitBody(uploadId: string, overrides: Record<string, unknown> = {}) {
  return {
    idempotencyKey: `outbox-${randomBytes(6).toString('hex')}`,
    uploadId,
    nip: NIPS[0],
    typeCode: 'SK_PNS',
    fields: { nomor: '823.4/112/BKD/2011', tanggal: '2011-03-01', tmt: '2011-03-01' },
    ...overrides,
  };
}

/**
 * Row counts and the latest change stamp of the tables this suite writes, to assert that a
 * refused request left nothing behind: no row added, none changed.
 */
export async function tableCounts(db: Sql): Promise<Record<string, number>> {
  const feeds = ['documents', 'employees', 'document_types', 'audit_entries'];
  const columns = [
    ...feeds.flatMap((t) => [`(select count(*) from ${t}) as ${t}`, `(select coalesce(max(change_seq), 0) from ${t}) as ${t}_changed`]),
    '(select count(*) from audit_chains) as audit_chains',
  ];
  const { rows } = await db.query<Record<string, number>>(`select ${columns.join(', ')}`);
  return rows[0];
}

const chain = auditChain((text) => createHash('sha256').update(text).digest('hex'));

/** Audit entries `from`..`from+n-1` chained after `prevHash`, as a workstation's log holds them. */
export function auditEntries(from: number, n: number, prevHash = '0'.repeat(64), actor = 'sari'): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = prevHash;
  for (let id = from; id < from + n; id++) {
    const row: AuditRow = { id, at: new Date(Date.UTC(2026, 10, 24, 8, 0, id)).toISOString(), actor, action: 'document.viewed', document_id: id, nip: NIPS[0], detail: JSON.stringify({ n: id }) };
    const hash = chain.entryHash(prev, row);
    entries.push({ ...row, prev_hash: prev, hash });
    prev = hash;
  }
  return entries;
}
