// The edges of the disposal workflow through the contract: an admin rejects a proposal (with
// a reason, audited; the proposal stays, ditolak, with its list, and goes no further; its
// documents go back to their phase and are proposed again; its number is never reused, nor
// one an older version deleted on rejection and only the audit log remembers),
// destruction waits for documents still in the sync outbox, and a destroyed document is
// never queued for sync again.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../main/access';
import { createAuditLog } from '../../main/core/audit';
import { createOcr } from '../../main/core/ocr';
import { FileBlobStore } from '../../main/infra/blobs';
import { blobKeyBytes, KeyFileSecretStore } from '../../main/infra/secrets';
import { ADMIN_NIP, adminProfile, type AdminProfile } from '../helpers/admin-profile';
import { insertEmployee } from '../helpers/documents';
import { makePdf } from '../helpers/pdf';
import { translateId } from '../helpers/profile';

const clock = { now: () => new Date('2026-06-01T02:00:00Z') };
const BUDI = '196301011985031001';
const EXECUTION = { agency: 'BKD Kota Contoh', place: 'Kota Contoh' };
let world: AdminProfile;
let verifier: Session;
const docs: number[] = [];
const shas: string[] = [];
const SERVER_ID = '7d0f3c52-6a7e-4c1b-9f43-2b8e5d1a0c11';
const ok: AdminProfile['ok'] = (method, input, session) => world.ok(method, input, session);
const call: AdminProfile['call'] = (method, input, session) => world.call(method, input, session);
const blobOf = (id: number) => {
  const { sha256 } = world.profile.db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(id) as { sha256: string };
  return join(world.dataDir, 'blobs', sha256.slice(0, 2), sha256);
};

beforeAll(async () => {
  world = await adminProfile('lemari-retention-edges-', clock);
  verifier = await world.userSession('198502022010012002', 'verifier');
  insertEmployee(world.profile.db, BUDI, 'Budi Santoso', 'Bidang Mutasi');
  for (const typeCode of ['SK_PNS', 'DRH']) {
    const path = join(world.dir, `${typeCode}.pdf`);
    await writeFile(path, await makePdf([`${typeCode} ${BUDI}`]));
    docs.push((await ok('capture.import', { files: [{ path }], nip: BUDI, typeCode })).imported[0].documentId);
  }
  for (const id of docs) shas.push((world.profile.db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(id) as { sha256: string }).sha256);
  // Labelled in full (the import alone leaves the decree's required fields empty): ready to send.
  world.profile.db.prepare(`UPDATE documents SET state = 'ready'`).run();
  // Punah six years ago: the personal file's inactive year is long over.
  await ok('retention.recordStatus', { nip: BUDI, kedudukanHukum: '67', date: '2020-01-02' });
});

afterAll(() => world.close());

describe('disposal workflow edges', () => {
  it('lets only an admin reject a proposal, with a reason; the proposal stays ditolak with its list, the documents go back to usul musnah and the number is not reused', async () => {
    const first = await ok('retention.propose', { kind: 'musnah' });
    expect(first).toMatchObject({ number: 'DAUM/001/2026', itemCount: 2 });
    expect(await call('retention.reject', { id: first.id, reason: 'Belum dinilai panitia' }, verifier)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('retention.reject', { id: first.id, reason: '  ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    expect(await ok('retention.reject', { id: first.id, reason: 'Belum dinilai panitia' })).toEqual({ id: first.id, number: 'DAUM/001/2026', documents: 2 });
    const rejected = await ok('retention.proposal', { id: first.id }, verifier);
    expect(rejected).toMatchObject({ number: 'DAUM/001/2026', state: 'ditolak', rejected: { by: ADMIN_NIP, at: clock.now().toISOString(), note: 'Belum dinilai panitia' }, itemCount: 2 });
    expect(rejected.items.map((item) => item.documentId).sort()).toEqual([...docs].sort());
    expect((await ok('retention.overview', {})).proposals.map((p) => [p.number, p.state])).toEqual([['DAUM/001/2026', 'ditolak']]);
    expect((await ok('retention.file', { nip: BUDI })).phases).toEqual({ usul_musnah: 2 });
    const [entry] = (await ok('audit.list', { action: 'retention.rejected', limit: 5 })).items;
    expect(entry.detail).toMatchObject({ number: 'DAUM/001/2026', state: 'usul', reason: 'Belum dinilai panitia' });
    expect((entry.detail as { documents: { id: number }[] }).documents.map((d) => d.id).sort()).toEqual([...docs].sort());

    // An approved proposal can still be withdrawn; a carried-out one cannot (below). The
    // rejected list does not keep its documents from the next one.
    const second = await ok('retention.propose', { kind: 'musnah' });
    expect(second).toMatchObject({ number: 'DAUM/002/2026', itemCount: 2 });
    expect(second.items.map((item) => item.documentId).sort()).toEqual([...docs].sort());
    await ok('retention.approve', { id: second.id });
    await ok('retention.reject', { id: second.id, reason: 'Ditarik: salah hitung retensi' });
    expect((await ok('retention.proposal', { id: second.id })).approved).toMatchObject({ by: ADMIN_NIP });

    // As an older version left a rejection: the row deleted, only the audit entry remembers DAUM/003.
    createAuditLog({ db: world.profile.db, clock }).append({ actor: ADMIN_NIP, action: 'retention.rejected', detail: { proposalId: 99, number: 'DAUM/003/2026', kind: 'musnah', state: 'usul', reason: 'lama', documents: [] } });
    expect((await ok('retention.propose', { kind: 'musnah' })).number).toBe('DAUM/004/2026');
    expect(createAuditLog({ db: world.profile.db, clock }).verify()).toMatchObject({ firstBreak: null });
  });

  it('takes a ditolak proposal no further: it cannot be recommended, approved, rejected again or carried out', async () => {
    const rejected = (await ok('retention.overview', {})).proposals.find((p) => p.number === 'DAUM/002/2026')!;
    const refusal = { ok: false, error: { code: 'conflict', message: expect.stringContaining('Usulan DAUM/002/2026 sudah ditolak (Ditarik: salah hitung retensi)') } };
    expect(await call('retention.recommend', { id: rejected.id, note: 'Sesuai JRA' }, verifier)).toMatchObject(refusal);
    expect(await call('retention.approve', { id: rejected.id })).toMatchObject(refusal);
    expect(await call('retention.reject', { id: rejected.id, reason: 'lagi' })).toMatchObject(refusal);
    expect(await call('retention.destroy', { id: rejected.id, ...EXECUTION })).toMatchObject(refusal);
    expect(await call('retention.handOver', { id: rejected.id, ...EXECUTION })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const after = await ok('retention.proposal', { id: rejected.id });
    expect(after).toMatchObject({ state: 'ditolak', executed: null, reportId: null, rejected: { note: 'Ditarik: salah hitung retensi' } });
    expect(world.profile.db.prepare('SELECT count(*) AS n FROM document_disposals').get()).toEqual({ n: 0 });
  });

  it('refuses to destroy documents still waiting in the sync outbox, and destroys them once they were sent', async () => {
    const proposal = (await ok('retention.overview', {})).proposals.find((p) => p.state === 'usul')!;
    await ok('retention.approve', { id: proposal.id });
    expect(await ok('sync.queue', {})).toEqual({ queued: 2 });

    const refused = await call('retention.destroy', { id: proposal.id, ...EXECUTION });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(String(docs[0])) } });
    expect(existsSync(blobOf(docs[0]))).toBe(true);
    expect((await ok('retention.proposal', { id: proposal.id })).state).toBe('disetujui');

    // As a sync run leaves them: the SK PNS verified on the server, the DRH refused by it.
    world.profile.db.prepare('DELETE FROM sync_outbox').run();
    world.profile.db.prepare(`UPDATE document_sync SET state = 'verified', server_id = ?, server_version = 1 WHERE document_id = ?`).run(SERVER_ID, docs[0]);
    world.profile.db.prepare(`UPDATE document_sync SET state = 'rejected', error_code = 'invalid_input', error_message = 'Nomor tidak sah' WHERE document_id = ?`).run(docs[1]);
    const done = await ok('retention.destroy', { id: proposal.id, ...EXECUTION });
    expect(done.proposal.state).toBe('dimusnahkan');
    expect(existsSync(blobOf(docs[0]))).toBe(false);
    expect(await call('retention.reject', { id: proposal.id, reason: 'terlambat' })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // The entries the audit upload sends (main/core/sync/audit-upload.ts) name the server's document and its bytes' hash.
    const sent = createAuditLog({ db: world.profile.db, clock })
      .pending(1000)
      .filter((entry) => entry.action === 'retention.destroyed')
      .map((entry) => ({ documentId: entry.document_id, detail: JSON.parse(entry.detail) as unknown }));
    expect(sent).toEqual(
      expect.arrayContaining([
        { documentId: docs[0], detail: { proposalId: proposal.id, sha256: shas[0], serverId: SERVER_ID } },
        // Refused by the server: it never had an id there.
        { documentId: docs[1], detail: { proposalId: proposal.id, sha256: shas[1], serverId: null } },
      ]),
    );
    expect(sent).toHaveLength(2);
  });

  it('never reads a destroyed document with OCR again, not even one the reader had not reached', async () => {
    // As a restart finds them: OCR's queue empty of them, both without a job.
    expect(world.profile.db.prepare('SELECT count(*) AS n FROM ocr_jobs WHERE document_id IN (?, ?)').get(docs[0], docs[1])).toEqual({ n: 0 });
    const ocr = createOcr({ db: world.profile.db, blobs: new FileBlobStore(join(world.dataDir, 'blobs'), blobKeyBytes(new KeyFileSecretStore(world.dataDir), world.dataDir)), clock, translate: translateId, logger: { error: () => {}, info: () => {} } });
    ocr.start();
    await ocr.idle();
    await ocr.close();
    expect(world.profile.db.prepare('SELECT count(*) AS n FROM ocr_jobs WHERE document_id IN (?, ?)').get(docs[0], docs[1])).toEqual({ n: 0 });
    expect(world.profile.db.prepare('SELECT count(*) AS n FROM ocr_pages WHERE document_id IN (?, ?)').get(docs[0], docs[1])).toEqual({ n: 0 });
  });

  it('never queues a destroyed document for sync again, not even one the server had refused', async () => {
    expect(await ok('sync.queue', {})).toEqual({ queued: 0 });
    expect(world.profile.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
  });
});
