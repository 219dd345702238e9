// Page tools (issue 6) through the contract on a real profile (SQLite, blob store, audit
// chain, sync queue): rotate, move, delete, split and merge make new bytes with the pages
// copied (the scan itself not re-encoded), update page count and search, are audited with
// the previous sha, keep the old bytes, send a document the server verified again and take
// a verifier's approval back; bad requests say why in Indonesian and change nothing. Blank
// backs are proposed for removal and pages under 150 dpi are found.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, MethodName } from '../../common/contract';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { insertEmployee } from '../helpers/documents';
import { scanPdf } from '../fixtures/scans';
import { pdfText } from '../helpers/pdf-text';
import { resourcesDir, tempDir } from '../helpers/profile';

type Session = ReturnType<Profile['newSession']>;

const ADMIN = { nip: '198001012005011001', password: 'arsip kepegawaian aman 2026' };
const BUDI = '199001012015031001';
const SITI = '199202292015032002';
let work: ReturnType<typeof tempDir>;
let profile: Profile;
let admin: Session;
let files = 0;
const clock = { now: () => new Date('2026-11-24T02:00:00Z') };

async function call<T = any>(method: MethodName, input: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any -- each test reads the answer it expects
  const result = await profile.api.call(method, input, { session: admin });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

async function refused(method: MethodName, input: unknown): Promise<{ code: string; message: string }> {
  const result = await profile.api.call(method, input, { session: admin });
  if (result.ok) throw new Error(`${method} was allowed`);
  return result.error;
}

/** A typed PDF whose page n says "<name> halaman n". */
async function typed(name: string, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) doc.addPage([595, 842]).drawText(`${name} halaman ${n}`, { x: 60, y: 760, size: 18, font });
  return doc.save();
}

async function importPdf(bytes: Uint8Array, nip?: string): Promise<number> {
  const path = join(work.dir, `scan-${++files}.pdf`);
  writeFileSync(path, bytes);
  const report = await call<{ imported: { documentId: number }[] }>('capture.import', { files: [{ path }], ...(nip ? { nip } : {}) });
  return report.imported[0].documentId;
}

async function bytesOf(id: number): Promise<Buffer> {
  const content = await profile.documentContent(id, admin);
  const chunks: Buffer[] = [];
  for await (const chunk of content.stream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const row = (id: number) =>
  profile.db.prepare('SELECT sha256, size, page_count, nip, state FROM documents WHERE id = ?').get(id) as { sha256: string; size: number; page_count: number; nip: string | null; state: string } | undefined;
const auditOf = (id: number) =>
  // Openings for the viewer (document.viewed) left out: the tests read the bytes back that way.
  (profile.db.prepare("SELECT action, detail FROM audit_log WHERE document_id = ? AND action <> 'document.viewed' ORDER BY id").all(id) as { action: string; detail: string }[]).map((entry) => ({
    action: entry.action,
    detail: JSON.parse(entry.detail) as Record<string, unknown>,
  }));
const auditCount = () => (profile.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
const rotations = async (bytes: Uint8Array) => (await PDFDocument.load(bytes)).getPages().map((page) => page.getRotation().angle);
const searchIds = async (text: string) => (await call<{ items: { id: number }[] }>('search.query', { text })).items.map((item) => item.id).sort((a, b) => a - b);
const orphans = async () => (await call<{ orphans: number; ok: boolean }>('maintenance.verify', {}));

/** As the sync engine leaves a document the server has verified. */
function markVerified(id: number): void {
  const { sha256, size } = row(id)!;
  profile.db
    .prepare(
      `INSERT INTO document_sync (document_id, state, version, idempotency_key, sha256, size, server_id, server_version, server_sha256, queued_at, updated_at)
       VALUES (?, 'verified', 1, ?, ?, ?, ?, 3, ?, '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z')`,
    )
    .run(id, `key-${id}`, sha256, size, `srv-${id}`, sha256);
}

beforeAll(async () => {
  work = tempDir('lemari-pages-');
  const dataDir = join(work.dir, 'profil');
  profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock });
  admin = profile.newSession();
  const { enrolment } = await call<{ enrolment: { secret: string } }>('auth.bootstrap', { nip: ADMIN.nip, nama: 'Admin', password: ADMIN.password });
  await call('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) });
  insertEmployee(profile.db, BUDI, 'Budi Santoso');
  insertEmployee(profile.db, SITI, 'Siti Aminah');
}, 60_000);

afterAll(async () => {
  await profile?.close();
  work?.cleanup();
});

describe('page tools', () => {
  it('rotates pages into new bytes, the scan copied as it was, audited with the previous sha and the old bytes kept', async () => {
    const { pdf, jpegs } = await scanPdf([200, 200]);
    const id = await importPdf(pdf);
    const before = row(id)!;
    const orphansBefore = (await orphans()).orphans;
    expect(await profile.thumbnail(id, admin)).not.toBeNull();

    const detail = await call<DocumentDetail>('pages.rotate', { id, pages: [2], degrees: 90 });
    expect(detail.sha256).not.toBe(before.sha256);
    expect(detail.pageCount).toBe(2);
    const after = await bytesOf(id);
    expect(await rotations(after)).toEqual([0, 90]);
    // Not re-encoded: both JPEG streams are in the new file byte for byte.
    for (const jpeg of jpegs) expect(after.indexOf(jpeg)).toBeGreaterThan(0);
    expect(auditOf(id).at(-1)).toMatchObject({ action: 'document.pages_rotated', detail: { pages: [2], degrees: 90, previousSha256: before.sha256, sha256: detail.sha256 } });
    // The original stays on disk (one more unreferenced blob), and the archive still checks out.
    const verify = await orphans();
    expect(verify.orphans).toBe(orphansBefore + 1);
    expect(verify.ok).toBe(true);
    // The thumbnail was dropped with the old bytes and renders again from the new ones.
    expect(profile.db.prepare('SELECT 1 FROM thumbnails WHERE document_id = ?').get(id)).toBeUndefined();
    expect(await profile.thumbnail(id, admin)).not.toBeNull();

    await call('pages.rotate', { id, pages: [1, 2], degrees: 270 });
    expect(await rotations(await bytesOf(id))).toEqual([270, 0]);
  });

  it('moves a page and deletes pages, never all of them', async () => {
    const id = await importPdf(await typed('Surat', 4));
    await call('pages.move', { id, from: 4, to: 1 });
    expect(await pdfText(await bytesOf(id))).toEqual(['Surat halaman 4', 'Surat halaman 1', 'Surat halaman 2', 'Surat halaman 3']);
    expect(auditOf(id).at(-1)).toMatchObject({ action: 'document.pages_moved', detail: { from: 4, to: 1 } });

    const deleted = await call<DocumentDetail>('pages.delete', { id, pages: [2, 4] });
    expect(deleted.pageCount).toBe(2);
    expect(row(id)!.page_count).toBe(2);
    expect(await pdfText(await bytesOf(id))).toEqual(['Surat halaman 4', 'Surat halaman 2']);
    expect(auditOf(id).at(-1)).toMatchObject({ action: 'document.pages_deleted', detail: { pages: [2, 4], pageCount: 2 } });

    const unchanged = row(id);
    const entries = auditCount();
    expect(await refused('pages.delete', { id, pages: [1, 2] })).toEqual({ code: 'invalid_input', message: 'Semua halaman tidak boleh dihapus; sisakan paling sedikit satu halaman' });
    expect(await refused('pages.delete', { id, pages: [3] })).toEqual({ code: 'invalid_input', message: 'Halaman 3 tidak ada; dokumen ini 2 halaman' });
    expect(await refused('pages.move', { id, from: 1, to: 5 })).toMatchObject({ code: 'invalid_input' });
    expect(await refused('pages.rotate', { id, pages: [1], degrees: 45 })).toMatchObject({ code: 'invalid_input' });
    expect(row(id)).toEqual(unchanged);
    expect(auditCount()).toBe(entries);
  });

  it('splits a document into two, the new one a draft with the same NIP, both found by search', async () => {
    const id = await importPdf(await typed('Ijazah', 5), BUDI);
    const { original, created } = await call<{ original: DocumentDetail; created: DocumentDetail }>('pages.split', { id, at: 3 });
    expect([original.pageCount, created.pageCount]).toEqual([2, 3]);
    expect(created).toMatchObject({ nip: BUDI, nama: 'Budi Santoso', typeCode: null, state: 'draft' });
    expect(await pdfText(await bytesOf(id))).toEqual(['Ijazah halaman 1', 'Ijazah halaman 2']);
    expect(await pdfText(await bytesOf(created.id))).toEqual(['Ijazah halaman 3', 'Ijazah halaman 4', 'Ijazah halaman 5']);
    expect(await searchIds('Budi')).toEqual(expect.arrayContaining([id, created.id]));
    expect(auditOf(created.id)).toMatchObject([{ action: 'document.split_from', detail: { from: id, at: 3, previousSha256: expect.any(String) } }]);
    expect(auditOf(id).at(-1)).toMatchObject({ action: 'document.split', detail: { at: 3, pageCount: 2 } });

    const loose = await call<{ created: DocumentDetail }>('pages.split', { id: created.id, at: 3, keepNip: false });
    expect(loose.created).toMatchObject({ nip: null, pageCount: 1 });
    expect(await refused('pages.split', { id, at: 1 })).toEqual({ code: 'invalid_input', message: 'Pisahkan mulai halaman 2 sampai 2: dokumen baru berisi halaman itu sampai akhir' });
  });

  it('merges documents of one NIP (or none) in the chosen order; the others are gone from the list and search', async () => {
    const first = await importPdf(await typed('Akta', 1), SITI);
    const second = await importPdf(await typed('Lampiran', 2));
    const third = await importPdf(await typed('Surat nikah', 1), SITI);
    const merged = await call<DocumentDetail>('pages.merge', { ids: [first, third, second] });
    expect(merged).toMatchObject({ id: first, nip: SITI, pageCount: 4 });
    expect(await pdfText(await bytesOf(first))).toEqual(['Akta halaman 1', 'Surat nikah halaman 1', 'Lampiran halaman 1', 'Lampiran halaman 2']);
    expect(row(second)).toBeUndefined();
    expect(row(third)).toBeUndefined();
    expect(await searchIds('Siti')).toEqual([first]);
    expect(auditOf(first).at(-1)).toMatchObject({ action: 'document.merged', detail: { from: [{ id: third }, { id: second }], pageCount: 4 } });
    expect(auditOf(second).at(-1)).toMatchObject({ action: 'document.merged_into', detail: { into: first } });

    // An unlabelled first document takes the NIP of the others.
    const blank = await importPdf(await typed('Tanpa label', 1));
    const budi = await importPdf(await typed('Milik Budi', 1), BUDI);
    expect(await call<DocumentDetail>('pages.merge', { ids: [blank, budi] })).toMatchObject({ id: blank, nip: BUDI, pageCount: 2 });
  });

  it('refuses to merge different NIPs, and changes nothing', async () => {
    const budi = await importPdf(await typed('Budi', 1), BUDI);
    const siti = await importPdf(await typed('Siti', 1), SITI);
    const before = [row(budi), row(siti)];
    const entries = auditCount();
    expect(await refused('pages.merge', { ids: [budi, siti] })).toEqual({
      code: 'invalid_input',
      message: `Hanya dokumen dengan NIP yang sama (atau belum berlabel) yang dapat digabung; terpilih NIP ${BUDI}, ${SITI}`,
    });
    expect(await refused('pages.merge', { ids: [budi, budi] })).toMatchObject({ code: 'invalid_input' });
    expect([row(budi), row(siti)]).toEqual(before);
    expect(auditCount()).toBe(entries);
  });

  it('sends a verified document again after a page edit and takes back its approval', async () => {
    const id = await importPdf(await typed('SK', 2), BUDI);
    profile.db.prepare("UPDATE documents SET state = 'ready' WHERE id = ?").run(id);
    profile.db.prepare("UPDATE document_review SET state = 'approved', reviewer = 'verifier', decided_at = 'x' WHERE document_id = ?").run(id);
    markVerified(id);
    const detail = await call<DocumentDetail>('pages.delete', { id, pages: [2] });
    const sync = profile.db.prepare('SELECT state, version, sha256, size, server_sha256 FROM document_sync WHERE document_id = ?').get(id) as Record<string, unknown>;
    expect(sync).toMatchObject({ state: 'queued', version: 2, sha256: detail.sha256, size: detail.size });
    expect(sync.server_sha256).not.toBe(detail.sha256);
    expect(profile.db.prepare('SELECT 1 FROM sync_outbox WHERE document_id = ?').get(id)).toBeDefined();
    expect(profile.db.prepare('SELECT state FROM document_review WHERE document_id = ?').get(id)).toEqual({ state: 'pending' });
    expect(auditOf(id).slice(-2).map((entry) => entry.action)).toEqual(['document.pages_deleted', 'document.queued']);
    expect(auditOf(id).at(-1)!.detail).toMatchObject({ edit: true, version: 2 });
  });

  it('refuses edits while a commit is on its way, and merging a document that was sent', async () => {
    const id = await importPdf(await typed('Dikirim', 2), BUDI);
    markVerified(id);
    profile.db.prepare("UPDATE document_sync SET state = 'committed' WHERE document_id = ?").run(id);
    const before = row(id);
    expect(await refused('pages.rotate', { id, pages: [1], degrees: 180 })).toEqual({
      code: 'conflict',
      message: `Dokumen #${id} sedang dikirim ke server atau menunggu penyelesaian konflik; ubah halamannya setelah itu selesai`,
    });
    expect(row(id)).toEqual(before);
    profile.db.prepare("UPDATE document_sync SET state = 'verified' WHERE document_id = ?").run(id);
    const other = await importPdf(await typed('Baru', 1), BUDI);
    expect(await refused('pages.merge', { ids: [other, id] })).toMatchObject({ code: 'conflict', message: expect.stringContaining(`Dokumen #${id} sudah masuk antrean kirim`) });
  });

  it('takes a queued document that was never committed out of the queue, so the new bytes go', async () => {
    const id = await importPdf(await typed('Antre', 2), BUDI);
    const { sha256, size } = row(id)!;
    profile.db.prepare("INSERT INTO document_sync (document_id, state, version, idempotency_key, sha256, size, queued_at, updated_at) VALUES (?, 'queued', 1, ?, ?, ?, 'x', 'x')").run(id, `q-${id}`, sha256, size);
    profile.db.prepare("INSERT INTO sync_outbox (document_id, kind, created_at) VALUES (?, 'commit', 'x')").run(id);
    await call('pages.rotate', { id, pages: [1], degrees: 90 });
    expect(profile.db.prepare('SELECT 1 FROM document_sync WHERE document_id = ?').get(id)).toBeUndefined();
    expect(profile.db.prepare('SELECT 1 FROM sync_outbox WHERE document_id = ?').get(id)).toBeUndefined();
  });

  // OCR (main/core/ocr) keeps text per page; where it is in the schema, the text follows its pages.
  const hasOcr = () => profile.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ocr_pages'").get() !== undefined;
  it('keeps OCR text with its pages: a deleted page stops finding the document, a split-off page finds the new one', async (context) => {
    if (!hasOcr()) return context.skip();
    const id = await importPdf(await typed('Pindai', 4), BUDI);
    profile.db.prepare('DELETE FROM ocr_pages WHERE document_id = ?').run(id);
    const words = ['kenaikan', 'gajiberkala', 'mutasijabatan', 'pensiunan'];
    words.forEach((word, index) => profile.db.prepare('INSERT INTO ocr_pages (document_id, page, text, confidence) VALUES (?, ?, ?, 90)').run(id, index + 1, word));
    profile.db.prepare("UPDATE ocr_jobs SET status = 'done', pages_done = 4, page_count = 4 WHERE document_id = ?").run(id);
    expect(await searchIds('gajiberkala')).toEqual([id]);

    await call('pages.delete', { id, pages: [2] });
    expect(await searchIds('gajiberkala')).toEqual([]);
    expect(await searchIds('pensiunan')).toEqual([id]);
    const text = (doc: number) => profile.db.prepare('SELECT page, text FROM ocr_pages WHERE document_id = ? ORDER BY page').all(doc);
    expect(text(id)).toEqual([{ page: 1, text: 'kenaikan' }, { page: 2, text: 'mutasijabatan' }, { page: 3, text: 'pensiunan' }]);

    const { created } = await call<{ created: DocumentDetail }>('pages.split', { id, at: 3 });
    expect(await searchIds('pensiunan')).toEqual([created.id]);
    expect(text(created.id)).toEqual([{ page: 1, text: 'pensiunan' }]);
    expect(profile.db.prepare('SELECT status FROM ocr_jobs WHERE document_id = ?').get(created.id)).toEqual({ status: 'done' });
  });

  it('finds pages scanned under 150 dpi', async () => {
    const id = await importPdf((await scanPdf([300, 100, null])).pdf);
    const info = await call<{ pages: { number: number; dpi: number | null; low: boolean }[]; lowDpi: number[] }>('pages.inspect', { id });
    expect(info.lowDpi).toEqual([2]);
    expect(info.pages.map((page) => page.dpi)).toEqual([300, 100, null]);
  });

  it('proposes blank pages for removal, never every page', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([595, 842]).drawText('Surat Keputusan', { x: 60, y: 760, size: 18, font });
    doc.addPage([595, 842]);
    doc.addPage([595, 842]).drawText('Lampiran', { x: 60, y: 760, size: 18, font });
    doc.addPage([595, 842]);
    const id = await importPdf(await doc.save());
    expect(await call('pages.blank', { id })).toEqual({ pages: [2, 4] });
    const empty = await PDFDocument.create();
    empty.addPage([595, 842]);
    empty.addPage([595, 842]);
    expect(await call('pages.blank', { id: await importPdf(await empty.save()) })).toEqual({ pages: [2] });
  });
});
