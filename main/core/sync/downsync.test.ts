// Down-sync, audit upload and the edit re-queue against a fake server: feeds are followed
// page by page from their stored cursor, a newer local employee row is kept, a deleted
// server document is marked, the audit cursor moves only past what the server accepted,
// and a verified document edited locally is queued again (once) over its server version.
import { afterEach, describe, expect, it } from 'vitest';
import type { DmsDocument } from '../../../common/dms/documents';
import { insertDocument } from '../../../tests/helpers/documents';
import { fixedClock, testDb } from '../../../tests/helpers/profile';
import { DmsCallError } from '../../infra/dms';
import { createAuditLog } from '../audit';
import { uploadAudit } from './audit-upload';
import { requeueEdited } from './conflicts';
import { createDownsync, type AuthedCall } from './downsync';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

function setup() {
  const { db, cleanup } = testDb();
  cleanups.push(cleanup);
  return { db, audit: createAuditLog({ db, clock: fixedClock }), downsync: createDownsync({ db, clock: fixedClock }) };
}

const NIP = '198503152010012003';
const employee = (nama: string, updatedAt: string) => ({
  nip: NIP,
  kind: 'pns' as const,
  nama,
  tempatLahir: null,
  tanggalLahir: null,
  golongan: null,
  jabatan: null,
  unitKerja: null,
  kedudukanHukum: null,
  updatedAt,
});
const serverDoc = (version: number, deleted = false): DmsDocument => ({
  id: '6f1c2f7e-8d0a-4a57-9a51-1d2b3c4d5e6f',
  instansiId: 'A1',
  idempotencyKey: 'k1',
  nip: NIP,
  typeCode: 'SK_PNS',
  fields: {},
  fileName: 'a.pdf',
  contentType: 'application/pdf',
  sha256: 'a'.repeat(64),
  size: 10,
  version,
  deleted,
  createdAt: '2026-11-24T01:00:00.000Z',
  updatedAt: '2026-11-24T01:00:00.000Z',
  createdBy: { userId: 1, deviceId: 'd' },
  updatedBy: { userId: 1, deviceId: 'd' },
});

/** A fake server whose feeds answer from `pages` by cursor; records every `since` asked. */
function fakeServer(pages: Record<string, Record<string, { items: unknown[]; next: string; more: boolean }>>) {
  const asked: string[] = [];
  const call = (async (name: string, input: { query?: { since: string } }) => {
    const since = input.query?.since ?? '0';
    asked.push(`${name}@${since}`);
    const page = pages[name]?.[since] ?? { items: [], next: since, more: false };
    return name === 'reference.listDocumentTypes' ? { ...page, fields: {} } : page;
  }) as unknown as AuthedCall;
  return { call, asked };
}

describe('down-sync', () => {
  it('follows each feed page by page, keeps a newer local employee and marks a deleted document', async () => {
    const { db, downsync } = setup();
    const server = fakeServer({
      'reference.listEmployees': { '0': { items: [employee('Dari Server', '2026-11-20T00:00:00.000Z')], next: '5', more: true } },
      'documents.changes': { '0': { items: [serverDoc(1)], next: '7', more: false } },
    });
    expect(await downsync.pull(server.call)).toEqual({ employees: 1, documentTypes: 0, documents: 1 });
    expect(server.asked).toEqual(['reference.listEmployees@0', 'reference.listEmployees@5', 'reference.listDocumentTypes@0', 'documents.changes@0']);
    expect(downsync.onServer(NIP)).toEqual([expect.objectContaining({ typeCode: 'SK_PNS', version: 1, local: false })]);

    // A local edit newer than the server's row is kept; an older local one would be replaced.
    db.prepare("UPDATE employees SET nama = 'Diubah Di Sini', updated_at = '2026-11-22T00:00:00.000Z' WHERE nip = ?").run(NIP);
    const later = fakeServer({
      'reference.listEmployees': { '5': { items: [employee('Server Lama', '2026-11-21T00:00:00.000Z')], next: '6', more: false } },
      'documents.changes': { '7': { items: [serverDoc(2, true)], next: '8', more: false } },
    });
    await downsync.pull(later.call);
    expect(later.asked).toContain('documents.changes@7');
    expect(db.prepare('SELECT nama FROM employees WHERE nip = ?').get(NIP)).toEqual({ nama: 'Diubah Di Sini' });
    expect(downsync.onServer(NIP)).toEqual([]);
    expect(db.prepare('SELECT deleted, version FROM dms_documents').get()).toEqual({ deleted: 1, version: 2 });
  });
});

describe('audit upload', () => {
  it('moves the cursor only past what the server accepted, in batches', async () => {
    const { db, audit } = setup();
    for (let i = 0; i < 5; i++) audit.append({ actor: 'x', action: 'document.viewed' });
    const cursor = () => (db.prepare("SELECT last_id FROM sync_cursors WHERE name = 'audit'").get() as { last_id: number }).last_id;
    const refusing = (async () => {
      throw new DmsCallError('audit_chain_broken', 'broken', 422);
    }) as unknown as AuthedCall;
    await expect(uploadAudit(audit, refusing, 2)).rejects.toThrow('broken');
    expect(cursor()).toBe(0);

    const batches: number[][] = [];
    const accepting = (async (_name: string, input: { body: { entries: { id: number; hash: string }[] } }) => {
      const ids = input.body.entries.map((entry) => entry.id);
      batches.push(ids);
      return { stored: ids.length, lastId: ids.at(-1)!, lastHash: input.body.entries.at(-1)!.hash };
    }) as unknown as AuthedCall;
    expect(await uploadAudit(audit, accepting, 2)).toEqual({ sent: 5 });
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(cursor()).toBe(5);
  });
});

describe('edits after sync', () => {
  it('queues a verified document again over its server version, once, with its outbox row', () => {
    const { db, audit } = setup();
    const id = insertDocument(db, { nip: NIP, typeCode: 'SK_PNS', state: 'ready' });
    const sha = (db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(id) as { sha256: string }).sha256;
    db.prepare(
      `INSERT INTO document_sync (document_id, state, version, idempotency_key, sha256, size, server_id, server_version, queued_at, updated_at)
       VALUES (?, 'verified', 1, 'k1', ?, 1000, 'srv-1', 4, 'x', 'x')`,
    ).run(id, sha);
    expect(requeueEdited(db, audit, id, { id: NIP }, 'now')).toBe(true);
    expect(db.prepare('SELECT state, version, server_id, server_version, server_sha256 FROM document_sync WHERE document_id = ?').get(id)).toEqual({
      state: 'queued',
      version: 2,
      server_id: 'srv-1',
      server_version: 4,
      server_sha256: sha,
    });
    expect(db.prepare('SELECT count(*) AS n FROM sync_outbox WHERE document_id = ?').get(id)).toEqual({ n: 1 });
    // Edited again before the run: still one queued update, read as it is when sent.
    expect(requeueEdited(db, audit, id, { id: NIP }, 'now')).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 1 });
    // Never sent: nothing to re-queue here (the ordinary queue handles it).
    expect(requeueEdited(db, audit, insertDocument(db, { state: 'ready' }), { id: NIP }, 'now')).toBe(false);
  });
});
