// Retention through the contract with a fake clock, as the Penyusutan view and the CLI reach
// it: an employee leaves service, becomes Punah, the personal file is inactive for a year,
// its documents are proposed Musnah, reviewed, approved and destroyed. The bytes leave the
// blob store (unless a surviving document shares them), the metadata and the Berita Acara
// stay, and the audit chain still verifies. A legal hold freezes a file at every step; a
// clerk cannot approve and a verifier cannot destroy.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../common/contract';
import { createAuditLog } from '../../main/core/audit';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { FileBlobStore } from '../../main/infra/blobs';
import { blobKeyBytes, KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { insertEmployee } from '../helpers/documents';
import { makePdf } from '../helpers/pdf';
import { pdfText } from '../helpers/pdf-text';
import { resourcesDir, tempDir } from '../helpers/profile';

type Session = ReturnType<Profile['newSession']>;

let work: ReturnType<typeof tempDir>;
let dataDir: string;
let profile: Profile;
let now = Date.parse('2026-01-05T02:00:00Z');
const clock = { now: () => new Date(now) };
const at = (iso: string) => {
  now = Date.parse(iso);
};
const PASSWORD = 'arsip kepegawaian aman 2026';
const ADMIN_NIP = '198001012005011001';
const BUDI = '196301011985031001';
const SITI = '196402021986032002';
const ANI = '199001012015032001';
const EXECUTION = { agency: 'BKD Kota Contoh', place: 'Kota Contoh' };

let admin: Session;
let verifier: Session;
let clerk: Session;

async function call(method: MethodName, input: unknown, session: Session) {
  return profile.api.call(method, input, { session });
}

async function ok<M extends MethodName>(method: M, input: unknown, session: Session = admin): Promise<MethodOutput<M>> {
  const result = await call(method, input, session);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

/** A user of `role` created by the admin, enrolled and logged in. */
async function userSession(nip: string, role: 'clerk' | 'verifier'): Promise<Session> {
  await ok('users.create', { nip, nama: `Pegawai ${role}`, role, password: PASSWORD });
  const session = profile.newSession();
  await ok('auth.beginLogin', { nip, password: PASSWORD }, session);
  const { secret } = await ok('auth.startEnrolment', {}, session);
  await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(secret), clock.now()) }, session);
  await ok('auth.changePassword', { oldPassword: PASSWORD, newPassword: `${PASSWORD} baru` }, session);
  return session;
}

const docs: Record<string, number> = {};
/** A word only Budi's SK PNS's OCR text holds. */
const OCR_WORD = 'Kutilangwibawa';
let worked: { turned: string; original: string; proposed: string };
let store: FileBlobStore;
let originalBytes: Uint8Array;
const shaOf = (id: number) => (profile.db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(id) as { sha256: string }).sha256;
const blobPath = (sha: string) => join(dataDir, 'blobs', sha.slice(0, 2), sha);

async function importDoc(key: string, nip: string, typeCode: string): Promise<void> {
  const path = join(work.dir, `${key}.pdf`);
  await writeFile(path, await makePdf([`${typeCode} ${nip} ${key}`]));
  const report = await ok('capture.import', { files: [{ path }], nip, typeCode }, admin);
  docs[key] = report.imported[0].documentId;
}

beforeAll(async () => {
  work = tempDir('lemari-retention-');
  dataDir = join(work.dir, 'profil');
  profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock });
  admin = profile.newSession();
  const { enrolment } = (await ok('auth.bootstrap', { nip: ADMIN_NIP, nama: 'Kepala Arsip', password: PASSWORD }, admin)) as { enrolment: { secret: string } };
  await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) });
  // The fake clock jumps years ahead: sessions must not lock for idleness meanwhile.
  await ok('settings.update', { idleLockMinutes: 0 });
  verifier = await userSession('198502022010012002', 'verifier');
  clerk = await userSession('199203032015031003', 'clerk');
  insertEmployee(profile.db, BUDI, 'Budi Santoso', 'Bidang Mutasi');
  insertEmployee(profile.db, SITI, 'Siti Aminah', 'Bidang Arsip');
  insertEmployee(profile.db, ANI, 'Ani Lestari', 'Bidang Arsip');
  await importDoc('budiSkPns', BUDI, 'SK_PNS');
  await importDoc('budiDrh', BUDI, 'DRH');
  await importDoc('budiSkp', BUDI, 'SKP');
  await importDoc('budiAward', BUDI, 'PENGHARGAAN');
  await importDoc('sitiSkPns', SITI, 'SK_PNS');
  // Ani's DRH holds the very bytes of Budi's (content-addressed: one blob for both).
  const shared = shaOf(docs.budiDrh);
  const copy = profile.db
    .prepare(
      `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, type_code, state, created_at, updated_at)
       SELECT sha256, 'salinan-' || source_sha256, 'drh-ani.pdf', size, source_size, page_count, source_kind, ?, 'DRH', state, created_at, updated_at FROM documents WHERE id = ?`,
    )
    .run(ANI, docs.budiDrh);
  docs.aniDrh = Number(copy.lastInsertRowid);
  expect(shaOf(docs.aniDrh)).toBe(shared);

  // Budi's SK PNS as a worked document leaves it: read by OCR (its words in search), turned
  // with the page tools (the bytes before kept), optimized once (the original held) and a
  // new optimizer proposal waiting. Destruction must take every copy of its content.
  profile.db.prepare('INSERT INTO ocr_pages (document_id, page, text, confidence) VALUES (?, 1, ?, 91)').run(docs.budiSkPns, `KEPUTUSAN ${OCR_WORD} pengangkatan`);
  profile.db.prepare(`UPDATE ocr_jobs SET status = 'done', pages_done = 1 WHERE document_id = ?`).run(docs.budiSkPns);
  const turned = shaOf(docs.budiSkPns);
  await ok('pages.rotate', { id: docs.budiSkPns, pages: [1], degrees: 90 });
  expect(shaOf(docs.budiSkPns)).not.toBe(turned);
  store = await new FileBlobStore(join(dataDir, 'blobs'), blobKeyBytes(new KeyFileSecretStore(dataDir), dataDir)).init();
  originalBytes = await makePdf(['SK PNS Budi sebelum dioptimalkan']);
  const original = await store.put(originalBytes);
  const proposed = await store.put(await makePdf(['SK PNS Budi usulan pengoptimal']));
  profile.db.prepare(`INSERT INTO document_originals (document_id, sha256, size, kept_at) VALUES (?, ?, 1000, '2026-01-05T02:00:00Z')`).run(docs.budiSkPns, original);
  profile.db
    .prepare(`INSERT INTO optimize_proposals (document_id, source_sha256, sha256, size, page_count, pages, created_at) VALUES (?, ?, ?, 900, 1, '[]', '2026-01-05T02:00:00Z')`)
    .run(docs.budiSkPns, shaOf(docs.budiSkPns), proposed);
  worked = { turned, original, proposed };
});

afterAll(async () => {
  await profile.close();
  work.cleanup();
});

describe('retention lifecycle and disposal', () => {
  it('ships the JRA as defaults with the regulation and a source beside every value', async () => {
    const schedule = await ok('retention.schedule', {}, verifier);
    expect(schedule.confirmed).toBe(false);
    expect(schedule.regulation).toMatch(/22 Tahun 2017/);
    expect(schedule.personalFile).toMatchObject({ inactiveYears: 1, disposition: 'musnah' });
    const skp = schedule.rules.find((rule) => rule.typeCode === 'SKP');
    expect(skp).toMatchObject({ activeYears: 2, inactiveYears: 3, disposition: 'musnah', isDefault: true });
    expect(schedule.rules.every((rule) => rule.source.length > 0)).toBe(true);
  });

  it('keeps everything active while the employees serve: nothing to propose', async () => {
    const overview = await ok('retention.overview', {});
    expect(overview.phases).toEqual({ aktif: 6 });
    expect(await call('retention.propose', { kind: 'musnah' }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('starts the clocks when an employee leaves service, recorded or seen in the employee list', async () => {
    const budi = await ok('retention.recordStatus', { nip: BUDI, kedudukanHukum: '99', date: '2026-01-02' });
    expect(budi).toMatchObject({ leftOn: '2026-01-02', punahOn: null, kedudukanHukum: '99' });
    // The next import of the list says Siti retired: the clocks start the day it is seen.
    profile.db.prepare(`UPDATE employees SET kedudukan_hukum = '99' WHERE nip = ?`).run(SITI);
    const overview = await ok('retention.overview', {});
    expect(overview.files.find((file) => file.nip === SITI)).toMatchObject({ leftOn: '2026-01-05', punahOn: null });
    expect(overview.phases).toEqual({ aktif: 6 });
  });

  it('makes the file of a Punah employee inactive for a year, then proposes it Musnah', async () => {
    at('2027-03-01T02:00:00Z');
    await ok('retention.recordStatus', { nip: BUDI, kedudukanHukum: '67', date: '2027-03-01' });
    profile.db.prepare(`UPDATE employees SET kedudukan_hukum = '67' WHERE nip = ?`).run(SITI);
    let file = await ok('retention.file', { nip: BUDI });
    // SK PNS and DRH join the personal file (inactive from Punah); the award's own clock ran out of its active year.
    expect(file).toMatchObject({ leftOn: '2026-01-02', punahOn: '2027-03-01', phases: { inaktif: 3, aktif: 1 } });
    await ok('retention.setHold', { nip: SITI, reason: 'Sengketa pensiun di PTUN' });
    expect(await call('retention.setHold', { nip: SITI, reason: 'lagi' }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    at('2028-02-28T02:00:00Z');
    expect(await call('retention.propose', { kind: 'musnah' }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    at('2028-03-02T02:00:00Z');
    file = await ok('retention.file', { nip: BUDI });
    expect(file.phases).toMatchObject({ usul_musnah: 2, inaktif: 2 });
    const held = await ok('retention.file', { nip: SITI });
    expect(held).toMatchObject({ hold: { reason: 'Sengketa pensiun di PTUN', by: ADMIN_NIP }, phases: { ditahan: 1 } });
  });

  it('runs the workflow: proposed by the admin, recommended by a verifier, approved and destroyed by the admin', async () => {
    expect(await call('retention.propose', { kind: 'musnah' }, verifier)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const proposal = await ok('retention.propose', { kind: 'musnah' });
    // Siti's file is under a legal hold: not listed.
    expect(proposal.items.map((item) => item.documentId).sort()).toEqual([docs.budiSkPns, docs.budiDrh].sort());
    expect(proposal).toMatchObject({ state: 'usul', kind: 'musnah', number: 'DAUM/001/2028' });
    // Nothing is proposed twice.
    expect(await call('retention.propose', { kind: 'musnah' }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    expect(await call('retention.recommend', { id: proposal.id, note: 'Sudah diperiksa' }, clerk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const recommended = await ok('retention.recommend', { id: proposal.id, note: 'Sesuai JRA, layak musnah' }, verifier);
    expect(recommended.recommended).toMatchObject({ note: 'Sesuai JRA, layak musnah' });

    // The list goes on paper to be checked and signed: a PDF with the agency, the rows and places to sign; XLSX and CSV to work on.
    expect(await call('retention.exportProposal', { id: proposal.id, format: 'pdf' }, clerk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await ok('settings.update', { agencyName: 'BKD Kota Contoh', agencyCity: 'Kota Contoh' });
    const list = await ok('retention.exportProposal', { id: proposal.id, format: 'pdf' }, verifier);
    expect(list).toMatchObject({ fileName: 'daftar-arsip-usul-musnah-DAUM-001-2028.pdf', contentType: 'application/pdf' });
    const text = (await pdfText(Buffer.from(list.base64, 'base64'))).join('\n');
    for (const expected of ['BKD Kota Contoh', 'DAFTAR ARSIP USUL MUSNAH', 'Nomor: DAUM/001/2028', 'Direkomendasikan', 'Yang mengusulkan', 'Panitia penilai arsip', 'Yang menyetujui', 'Kepala Arsip', 'Kota Contoh, 2 Maret 2028']) {
      expect(text).toContain(expected);
    }
    // Narrow cells wrap: each row's values are read with the wrapping taken out.
    const flat = text.replace(/\s+/g, '');
    for (const item of proposal.items) for (const value of [item.nip, item.dueOn, item.sha256]) expect(flat).toContain(value);
    expect(text).toContain('SK PNS');
    expect(text).toContain('Daftar Riwayat Hidup');
    expect(text).toContain('Budi Santoso');
    const sheet = await readSheet(Buffer.from((await ok('retention.exportProposal', { id: proposal.id, format: 'xlsx' }, verifier)).base64, 'base64'));
    expect(sheet[0]).toEqual(['No', 'NIP', 'Nama Pegawai', 'Jenis/Uraian Arsip', 'Nomor', 'Kurun Waktu', 'Halaman', 'Retensi Berakhir', 'SHA-256']);
    expect(sheet.slice(1).map((row) => [row[1], row[8]])).toEqual(proposal.items.map((item) => [item.nip, item.sha256]));
    const csv = await ok('retention.exportProposal', { id: proposal.id, format: 'csv' });
    expect(csv).toMatchObject({ fileName: 'daftar-arsip-usul-musnah-DAUM-001-2028.csv', contentType: 'text/csv' });
    const lines = Buffer.from(csv.base64, 'base64').toString('utf8').split('\r\n').filter((line) => line.includes(BUDI));
    expect(lines).toHaveLength(2);
    expect((await ok('audit.list', { action: 'retention.proposal_exported', limit: 5 })).items.map((item) => item.detail)).toContainEqual({ proposalId: proposal.id, number: 'DAUM/001/2028', format: 'pdf' });

    expect(await call('retention.approve', { id: proposal.id }, clerk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('retention.approve', { id: proposal.id }, verifier)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Not yet approved: the admin cannot destroy either.
    expect(await call('retention.destroy', { id: proposal.id, ...EXECUTION }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const approved = await ok('retention.approve', { id: proposal.id, note: 'Disetujui Kepala BKD' });
    expect(approved).toMatchObject({ state: 'disetujui', approved: { by: ADMIN_NIP } });

    const skPnsSha = shaOf(docs.budiSkPns);
    const drhSha = shaOf(docs.budiDrh);
    expect(existsSync(blobPath(skPnsSha))).toBe(true);
    const found = async (text: string) => (await ok('search.query', { text, limit: 50, offset: 0 })).items.map((hit) => hit.id);
    expect(await found(OCR_WORD)).toEqual([docs.budiSkPns]);
    for (const sha of Object.values(worked)) expect(existsSync(blobPath(sha))).toBe(true);
    expect(await call('retention.destroy', { id: proposal.id, ...EXECUTION }, verifier)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('retention.destroy', { id: proposal.id, ...EXECUTION }, clerk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(existsSync(blobPath(skPnsSha))).toBe(true);

    const done = await ok('retention.destroy', { id: proposal.id, ...EXECUTION, note: 'Dihapus permanen' });
    expect(done.proposal).toMatchObject({ state: 'dimusnahkan', executed: { by: ADMIN_NIP }, reportId: done.report.id });
    expect(done.report).toMatchObject({ kind: 'berita_acara_pemusnahan', number: 'BAPA/001/2028' });

    // The bytes are gone; the DRH's stay because Ani's surviving DRH is the same blob.
    expect(existsSync(blobPath(skPnsSha))).toBe(false);
    expect(existsSync(blobPath(drhSha))).toBe(true);
    // No readable copy stays: not the OCR text, nor its words in search, nor the bytes before
    // the page edit, the optimizer's original or its proposal (their rows go too).
    for (const sha of Object.values(worked)) expect(existsSync(blobPath(sha))).toBe(false);
    expect(profile.db.prepare('SELECT count(*) AS n FROM ocr_pages WHERE document_id IN (?, ?)').get(docs.budiSkPns, docs.budiDrh)).toEqual({ n: 0 });
    expect(profile.db.prepare('SELECT count(*) AS n FROM ocr_jobs WHERE document_id IN (?, ?)').get(docs.budiSkPns, docs.budiDrh)).toEqual({ n: 0 });
    expect(profile.db.prepare('SELECT count(*) AS n FROM document_originals WHERE document_id = ?').get(docs.budiSkPns)).toEqual({ n: 0 });
    expect(profile.db.prepare('SELECT count(*) AS n FROM optimize_proposals WHERE document_id = ?').get(docs.budiSkPns)).toEqual({ n: 0 });
    expect(await ok('ocr.status', { documentId: docs.budiSkPns })).toMatchObject({ status: 'none' });
    expect(await found(OCR_WORD)).toEqual([]);
    // Its metadata is still found.
    expect(await found(BUDI)).toContain(docs.budiSkPns);
    // The metadata remains, marked musnah.
    expect(await ok('documents.get', { id: docs.budiSkPns })).toMatchObject({ id: docs.budiSkPns, nip: BUDI, typeCode: 'SK_PNS' });
    expect((await ok('retention.file', { nip: BUDI })).phases).toMatchObject({ musnah: 2 });
    expect((await ok('retention.overview', {}, verifier)).phases).toMatchObject({ musnah: 2, ditahan: 1 });

    // The Berita Acara can be downloaded again, by a verifier too.
    const pdf = await ok('retention.report', { id: done.report.id }, verifier);
    expect(pdf.contentType).toBe('application/pdf');
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.fileName).toMatch(/^berita-acara-pemusnahan-BAPA-001-2028\.pdf$/);
  });

  it('finishes a destruction a crash cut short when it is run again', async () => {
    // As a crash after the commit leaves it: the original's bytes and row, and a page a reader was saving.
    const destroyed = (await ok('retention.overview', {})).proposals.find((item) => item.state === 'dimusnahkan')!;
    expect(await store.put(originalBytes)).toBe(worked.original);
    profile.db.prepare(`INSERT INTO document_originals (document_id, sha256, size, kept_at) VALUES (?, ?, 1000, '2026-01-05T02:00:00Z')`).run(docs.budiSkPns, worked.original);
    profile.db.prepare('INSERT INTO ocr_pages (document_id, page, text, confidence) VALUES (?, 1, ?, 91)').run(docs.budiSkPns, OCR_WORD);
    const again = await ok('retention.destroy', { id: destroyed.id, ...EXECUTION });
    expect(again.report.id).toBe(destroyed.reportId);
    expect(existsSync(blobPath(worked.original))).toBe(false);
    expect(profile.db.prepare('SELECT count(*) AS n FROM document_originals WHERE document_id = ?').get(docs.budiSkPns)).toEqual({ n: 0 });
    expect(profile.db.prepare('SELECT count(*) AS n FROM ocr_pages WHERE document_id = ?').get(docs.budiSkPns)).toEqual({ n: 0 });
    expect((await ok('search.query', { text: OCR_WORD, limit: 10, offset: 0 })).items).toEqual([]);
  });

  it('audits every step and keeps the audit chain whole', async () => {
    const actions = (await ok('audit.list', { limit: 200 })).items.map((item) => item.action);
    for (const action of ['retention.status_recorded', 'retention.clocks_observed', 'retention.hold_set', 'retention.proposed', 'retention.recommended', 'retention.approved', 'retention.destroyed', 'retention.berita_acara']) {
      expect(actions).toContain(action);
    }
    const destroyed = (await ok('audit.list', { action: 'retention.destroyed', limit: 10 })).items;
    expect(destroyed.map((item) => item.documentId).sort()).toEqual([docs.budiSkPns, docs.budiDrh].sort());
    expect(createAuditLog({ db: profile.db, clock }).verify()).toMatchObject({ firstBreak: null });
    // `lemari verify` finds nothing wrong: a destroyed document's bytes are gone on purpose.
    expect(await ok('maintenance.verify', {})).toMatchObject({ ok: true, problems: [] });
  });

  it('freezes a file put under a legal hold after approval, and frees it when the hold is lifted', async () => {
    await ok('retention.liftHold', { nip: SITI, reason: 'Putusan inkracht' });
    const proposal = await ok('retention.propose', { kind: 'musnah' });
    expect(proposal.items.map((item) => item.documentId)).toEqual([docs.sitiSkPns]);
    await ok('retention.approve', { id: proposal.id });
    await ok('retention.setHold', { nip: SITI, reason: 'Gugatan baru' });
    const sha = shaOf(docs.sitiSkPns);
    expect(await call('retention.destroy', { id: proposal.id, ...EXECUTION }, admin)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(SITI) } });
    expect(existsSync(blobPath(sha))).toBe(true);
    expect((await ok('retention.file', { nip: SITI })).phases).toEqual({ ditahan: 1 });
    await ok('retention.liftHold', { nip: SITI, reason: 'Gugatan dicabut' });
    await ok('retention.destroy', { id: proposal.id, ...EXECUTION });
    expect(existsSync(blobPath(sha))).toBe(false);
  });

  it('hands statis archives over with a Daftar Arsip Statis, keeping their bytes', async () => {
    // The award: left 2026-01-02, 1 year active, 2 inactive, permanen.
    at('2029-01-03T02:00:00Z');
    const proposal = await ok('retention.propose', { kind: 'permanen' });
    expect(proposal.items.map((item) => item.documentId)).toEqual([docs.budiAward]);
    await ok('retention.approve', { id: proposal.id });
    expect(await call('retention.destroy', { id: proposal.id, ...EXECUTION }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const done = await ok('retention.handOver', { id: proposal.id, ...EXECUTION });
    expect(done.report.kind).toBe('daftar_arsip_statis');
    expect(existsSync(blobPath(shaOf(docs.budiAward)))).toBe(true);
    expect((await ok('retention.file', { nip: BUDI })).phases).toMatchObject({ musnah: 2, statis: 1, inaktif: 1 });
  });

  it('lets an admin change a type\u2019s schedule (audited) and go back to the shipped default', async () => {
    expect(await call('retention.setRule', { typeCode: 'SKP', activeYears: 0, inactiveYears: 1, disposition: 'musnah' }, verifier)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const changed = await ok('retention.setRule', { typeCode: 'SKP', activeYears: 0, inactiveYears: 1, disposition: 'musnah' });
    expect(changed).toMatchObject({ isDefault: false, activeYears: 0, updatedBy: ADMIN_NIP });
    // Budi's SKP (left 2026-01-02) is now long due.
    expect((await ok('retention.file', { nip: BUDI })).phases).toMatchObject({ usul_musnah: 1 });
    const reset = await ok('retention.resetRule', { typeCode: 'SKP' });
    expect(reset).toMatchObject({ isDefault: true, activeYears: 2, inactiveYears: 3 });
    const actions = (await ok('audit.list', { action: 'retention.rule_changed', limit: 5 })).items;
    expect(actions[0].detail).toMatchObject({ typeCode: 'SKP', before: { activeYears: 2 }, after: { activeYears: 0 } });

    // A type that joins the personal file follows the file's clock: years of its own are refused, not silently ignored.
    expect(await call('retention.setRule', { typeCode: 'SK_PNS', activeYears: 5, inactiveYears: 10, disposition: 'berkas_perseorangan' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('masuk berkas perseorangan') },
    });
    expect(await call('retention.setRule', { typeCode: 'SKP', activeYears: 4, inactiveYears: 3, disposition: 'berkas_perseorangan' }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await ok('retention.schedule', {})).rules.find((rule) => rule.typeCode === 'SK_PNS')).toMatchObject({ activeYears: 1, inactiveYears: 2, isDefault: true });
    expect((await ok('audit.list', { action: 'retention.rule_changed', limit: 5 })).items).toHaveLength(1);
    // Its disposition may still change, the years as they stand.
    expect(await ok('retention.setRule', { typeCode: 'SKP', activeYears: 2, inactiveYears: 3, disposition: 'berkas_perseorangan' })).toMatchObject({ disposition: 'berkas_perseorangan', isDefault: false });
    await ok('retention.resetRule', { typeCode: 'SKP' });
  });

  it('writes a Berita Acara Alih Media for the folders digitized in a date range', async () => {
    expect(await call('retention.alihMedia', { from: '2025-01-01', to: '2025-12-31', ...EXECUTION }, clerk)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const result = await ok('retention.alihMedia', { from: '2026-01-01', to: '2026-01-31', ...EXECUTION }, clerk);
    expect(result.report).toMatchObject({ kind: 'berita_acara_alih_media', number: 'BAAM/001/2029' });
    expect(Buffer.from(result.file.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect((await ok('retention.overview', {})).reports.map((report) => report.kind)).toContain('berita_acara_alih_media');
    // January's work less what was destroyed since: Budi's SKP and award, Ani's DRH; one page each.
    const text = (await pdfText(Buffer.from(result.file.base64, 'base64'))).join('\n');
    for (const expected of ['BERITA ACARA ALIH MEDIA ARSIP', 'Nomor: BAAM/001/2029', 'Pegawai clerk (NIP 199203032015031003)', '1 Januari 2026 s.d. 31 Januari 2026', '3 arsip dari 2 berkas pegawai, 3 halaman', 'BKD Kota Contoh']) {
      expect(text).toContain(expected);
    }
    const flat = text.replace(/\s+/g, '');
    for (const key of ['budiSkp', 'budiAward', 'aniDrh']) expect(flat).toContain(shaOf(docs[key]));
    for (const key of ['budiSkPns', 'sitiSkPns']) expect(flat).not.toContain(shaOf(docs[key]));
    // The admin imported Budi's; Ani's DRH was written straight to the database, with no import entry to name its operator.
    expect(flat).toContain(`Operatoralihmedia:KepalaArsip(NIP${ADMIN_NIP}):2dokumen;tidaktercatat:1dokumen`);
  });
});
