// The Berita Acara Alih Media of a batch of digitized folders, through the contract: the
// batch is named by its employees' NIPs (or is every folder digitized in the range), scans
// without a NIP belong to no folder and are left out with their count stated, each document
// names the clerk who imported it, and an unknown NIP or one with nothing digitized in the
// range is refused by name, in Indonesian and in English. Two clerks import; the PDF is read
// back for its counts, SHA-256 values and operators.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../main/access';
import { ADMIN_NIP, adminProfile, type AdminProfile } from '../helpers/admin-profile';
import { insertEmployee } from '../helpers/documents';
import { makePdf } from '../helpers/pdf';
import { pdfText } from '../helpers/pdf-text';

let now = Date.parse('2026-02-27T03:00:00Z');
const clock = { now: () => new Date(now) };
const BUDI = '196301011985031001';
const SITI = '196402021986032002';
const ANI = '199001012015032001';
/** In the employee list, digitized only before the range. */
const DEDI = '198807072012121004';
/** Neither in the employee list nor on any document. */
const STRANGER = '197712122003122002';
const SARI = { nip: '199203032015031003', nama: 'Sari Wulandari' };
const TONO = { nip: '199104042014021005', nama: 'Tono Prasetyo' };
const RANGE = { from: '2026-03-01', to: '2026-03-31', agency: 'BKD Kota Contoh', place: 'Kota Contoh' };

let world: AdminProfile;
let sari: Session;
let tono: Session;
const docs: Record<string, number> = {};
const sha = (key: string) => (world.profile.db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(docs[key]) as { sha256: string }).sha256;

async function importAs(session: Session, key: string, nip: string | null, typeCode: string | null): Promise<void> {
  const path = join(world.dir, `${key}.pdf`);
  await writeFile(path, await makePdf([`Pindaian ${key}`]));
  const report = await world.ok('capture.import', { files: [{ path }], ...(nip ? { nip } : {}), ...(typeCode ? { typeCode } : {}) }, session);
  docs[key] = report.imported[0].documentId;
}

/** The PDF's text with every space gone: cells wrap wherever they must. */
async function flatText(base64: string): Promise<string> {
  return (await pdfText(Buffer.from(base64, 'base64'))).join(' ').replace(/\s+/g, '');
}
const flat = (text: string) => text.replace(/\s+/g, '');

beforeAll(async () => {
  world = await adminProfile('lemari-alih-media-', clock);
  await world.ok('settings.update', { idleLockMinutes: 0 });
  sari = await world.userSession(SARI.nip, 'clerk', SARI.nama);
  tono = await world.userSession(TONO.nip, 'clerk', TONO.nama);
  insertEmployee(world.profile.db, BUDI, 'Budi Santoso', 'Bidang Mutasi');
  insertEmployee(world.profile.db, SITI, 'Siti Aminah', 'Bidang Arsip');
  insertEmployee(world.profile.db, ANI, 'Ani Lestari', 'Bidang Arsip');
  insertEmployee(world.profile.db, DEDI, 'Dedi Kurniawan', 'Bidang Arsip');
  // Before the range: Dedi's folder, and a scan without a NIP.
  await importAs(sari, 'dediSkPns', DEDI, 'SK_PNS');
  await importAs(sari, 'earlyDraft', null, null);
  now = Date.parse('2026-03-02T03:00:00Z');
  // In the range: Budi's folder by both clerks, Siti's by Sari, Ani's by Tono, two scans not yet labelled.
  await importAs(sari, 'budiSkPns', BUDI, 'SK_PNS');
  await importAs(tono, 'budiDrh', BUDI, 'DRH');
  await importAs(sari, 'sitiDrh', SITI, 'DRH');
  await importAs(tono, 'aniSkPns', ANI, 'SK_PNS');
  await importAs(sari, 'draft1', null, null);
  await importAs(tono, 'draft2', null, null);
  expect(world.profile.db.prepare('SELECT count(*) AS n FROM documents WHERE nip IS NULL').get()).toEqual({ n: 3 });
});

afterAll(() => world.close());

describe('Berita Acara Alih Media of a batch', () => {
  it('lists only the batch\u2019s folders, leaves out the scans without a NIP with their count, and names each document\u2019s importing clerk', async () => {
    const result = await world.ok('retention.alihMedia', { ...RANGE, nips: [BUDI, SITI, BUDI] });
    expect(result.report).toMatchObject({ kind: 'berita_acara_alih_media', number: 'BAAM/001/2026' });
    const pdf = await flatText(result.file.base64);
    for (const expected of [
      'BERITAACARAALIHMEDIAARSIP',
      // The clerk who drew it up, as before.
      `Dibuatoleh:KepalaArsip(NIP${ADMIN_NIP})`,
      '3arsipdari2berkaspegawai,3halaman',
      // The digitizing operators with their counts.
      flat(`Operator alih media: ${SARI.nama} (NIP ${SARI.nip}): 2 dokumen; ${TONO.nama} (NIP ${TONO.nip}): 1 dokumen`),
      flat('Tidak dicantumkan: 2 pindaian tanpa NIP dalam periode ini'),
    ]) {
      expect(pdf).toContain(expected);
    }
    // Row by row (ordered by NIP, then id): Budi's SK PNS by Sari, his DRH by Tono, Siti's DRH by Sari.
    const rows = [
      ['budiSkPns', SARI],
      ['budiDrh', TONO],
      ['sitiDrh', SARI],
    ] as const;
    for (const [key, operator] of rows) expect(pdf).toContain(flat(`${operator.nama} (NIP ${operator.nip}) ${sha(key)}`));
    expect(pdf.indexOf(sha('budiSkPns'))).toBeLessThan(pdf.indexOf(sha('budiDrh')));
    expect(pdf.indexOf(sha('budiDrh'))).toBeLessThan(pdf.indexOf(sha('sitiDrh')));
    for (const key of ['aniSkPns', 'draft1', 'draft2', 'dediSkPns', 'earlyDraft']) expect(pdf).not.toContain(sha(key));

    const [entry] = (await world.ok('audit.list', { action: 'retention.alih_media', limit: 1 })).items;
    expect(entry.detail).toMatchObject({ number: 'BAAM/001/2026', documents: 3, unlabelled: 2, nips: [BUDI, SITI] });
  });

  it('without a batch lists every labelled folder of the range, never a scan without a NIP', async () => {
    const result = await world.ok('retention.alihMedia', RANGE, tono);
    const pdf = await flatText(result.file.base64);
    expect(pdf).toContain(flat(`Dibuat oleh: ${TONO.nama} (NIP ${TONO.nip})`));
    expect(pdf).toContain('4arsipdari3berkaspegawai,4halaman');
    expect(pdf).toContain(flat(`${SARI.nama} (NIP ${SARI.nip}): 2 dokumen; ${TONO.nama} (NIP ${TONO.nip}): 2 dokumen`));
    expect(pdf).toContain(flat('2 pindaian tanpa NIP'));
    for (const key of ['budiSkPns', 'budiDrh', 'sitiDrh', 'aniSkPns']) expect(pdf).toContain(sha(key));
    for (const key of ['draft1', 'draft2', 'dediSkPns', 'earlyDraft']) expect(pdf).not.toContain(sha(key));
    // Nothing left out: no line says so.
    const february = await flatText((await world.ok('retention.alihMedia', { ...RANGE, from: '2026-02-01', to: '2026-02-28', nips: [DEDI] })).file.base64);
    expect(february).toContain('1arsipdari1berkaspegawai,1halaman');
    expect(february).toContain(sha('dediSkPns'));
    expect(february).toContain(flat('1 pindaian tanpa NIP'));
  });

  it('refuses an unknown NIP, or one with nothing digitized in the range, by name and in both languages', async () => {
    const unknown = await world.call('retention.alihMedia', { ...RANGE, nips: [BUDI, STRANGER] });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `NIP berikut tidak ada di daftar pegawai maupun pada dokumen mana pun: ${STRANGER}` } });
    const nothing = await world.call('retention.alihMedia', { ...RANGE, nips: [DEDI, SITI] });
    expect(nothing).toMatchObject({ ok: false, error: { code: 'conflict', message: `Tidak ada dokumen yang didigitalkan antara 2026-03-01 dan 2026-03-31 untuk NIP berikut: ${DEDI}` } });
    // A long list of unknown NIPs: the first ten named, the rest counted.
    const strangers = Array.from({ length: 12 }, (_, index) => `19771212200312${String(2010 + index)}`);
    const many = await world.call('retention.alihMedia', { ...RANGE, nips: [BUDI, ...strangers] });
    expect(many).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining(`${strangers.slice(0, 10).join(', ')} (+2)`) } });
    // Not a NIP at all: the contract refuses it as it refuses any malformed NIP.
    expect(await world.call('retention.alihMedia', { ...RANGE, nips: ['19630101198503100'] })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('nips.0') } });
    expect(await world.call('retention.alihMedia', { ...RANGE, nips: [] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // A range with scans but none labelled says why nothing can be listed.
    expect(await world.call('retention.alihMedia', { ...RANGE, from: '2026-02-27', to: '2026-02-27', nips: undefined })).toMatchObject({ ok: true });
    world.profile.db.prepare('UPDATE documents SET nip = NULL WHERE id = ?').run(docs.dediSkPns);
    expect(await world.call('retention.alihMedia', { ...RANGE, from: '2026-02-27', to: '2026-02-27' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Tidak ada dokumen berlabel NIP yang didigitalkan antara 2026-02-27 dan 2026-02-27; 2 pindaian tanpa NIP belum masuk berkas pegawai mana pun' },
    });
    world.profile.db.prepare('UPDATE documents SET nip = ? WHERE id = ?').run(DEDI, docs.dediSkPns);

    await world.ok('settings.setLocale', { locale: 'en' });
    try {
      expect(await world.call('retention.alihMedia', { ...RANGE, nips: [STRANGER] })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: `These NIPs are neither in the employee list nor on any document: ${STRANGER}` },
      });
      expect(await world.call('retention.alihMedia', { ...RANGE, nips: [DEDI] })).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: `Nothing was digitized between 2026-03-01 and 2026-03-31 for these NIPs: ${DEDI}` },
      });
    } finally {
      await world.ok('settings.setLocale', { locale: 'id' });
    }
    // None of the refusals wrote a report.
    expect((await world.ok('retention.overview', {})).reports.filter((report) => report.kind === 'berita_acara_alih_media')).toHaveLength(4);
  });
});
