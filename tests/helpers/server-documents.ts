// Fixtures for the server's document, reference and audit tests: a server with two
// instansi, complete uploads made the way the tus handler leaves them (bytes in the blob
// store under their hash, a row with status 'complete'), a valid commit body, a snapshot of
// table sizes to prove that a refused request wrote nothing, raw requests whose bodies a
// test cuts, and workstation-style hash-chained audit entries.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { auditChain, type AuditRow } from '../../common/audit-chain';
import type { AuditEntry } from '../../common/dms/audit';
import { blobKey } from '../../server/blobs';
import type { Sql } from '../../server/db';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from './server';

/** Valid PNS NIPs (birth date, TMT CPNS, gender, serial), none in the future. */
export const NIPS = ['198503152010012003', '199001012015031001', '197905122005011002', '198812302014022001'] as const;

/**
 * For the suite this is called in: before its tests, a server with instansi A1 and B1 and a
 * clerk in each, handed to `ready`; after them, the server closed.
 */
export function twoInstansi(kind: TestDbKind, ready: (seeded: { server: TestServer; clerk: SeededUser; otherClerk: SeededUser }) => void): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.instansi('A1');
    await server.instansi('B1');
    const clerk = await server.user({ instansiId: 'A1', nip: '198001012005011001' });
    const otherClerk = await server.user({ instansiId: 'B1', nip: '198001012005011002' });
    ready({ server, clerk, otherClerk });
  });
  afterAll(() => server?.close());
}

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

/** The documents of any instansi made with this idempotency key. */
export async function documentCount(server: TestServer, key: string): Promise<number> {
  return (await server.deps.db.query<{ n: number }>('select count(*)::int as n from documents where idempotency_key = $1', [key])).rows[0].n;
}

/** The temp files documents.send and documents.sendBatch have in the upload directory: none between requests. */
export function sendTempFiles(server: TestServer): string[] {
  const dir = join(server.config.uploadDir, 'send');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/**
 * A POST whose body the test writes: `body` sent (after `headers`, which announce its
 * Content-Length), then the request ended or, `cut`, the socket destroyed. Answers the
 * response, or 'cut' when the request failed before one came.
 */
export function rawPost(
  url: string,
  headers: Record<string, string | number>,
  body: Buffer,
  end: 'finish' | 'cut',
): Promise<{ status: number; body: string; headers: Record<string, unknown> } | 'cut'> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', () => resolve('cut'));
    req.write(body, () => {
      if (end === 'cut') setTimeout(() => req.destroy(), 50);
    });
    if (end === 'finish') req.end();
  });
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
