// The completeness exports and the daily progress through the contract, on a real profile
// with fixture employees of different histories: the gap list names who lacks what (as
// XLSX, PDF and CSV that open), the picking list follows the shelf or the work-queue order,
// and the progress keeps one snapshot a day of the office and of each unit.
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportedFile, MethodName, MethodOutput } from '../../common/contract';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { insertDocument } from '../helpers/documents';
import { pdfText } from '../helpers/pdf-text';
import { resourcesDir, tempDir } from '../helpers/profile';

let work: ReturnType<typeof tempDir>;
let profile: Profile;
let session: ReturnType<Profile['newSession']>;
let now = new Date(2026, 10, 24, 9, 0);
const clock = { now: () => now };
const ADMIN = '198001012005011001';
const ANI = '198503152010012003';
const BUDI = '197901012005011002';
const CITRA = '199507072020122004';
const DEDI = '199001012015031005';

async function ok<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await profile.api.call(method, input, { session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

function employee(nip: string, nama: string, unitKerja: string | null, golongan: string | null, jabatan: string | null): void {
  profile.db
    .prepare(`INSERT INTO employees (nip, kind, nama, unit_kerja, golongan, jabatan, updated_at) VALUES (?, 'pns', ?, ?, ?, ?, '2026-11-24T02:00:00.000Z')`)
    .run(nip, nama, unitKerja, golongan, jabatan);
}

function holds(nip: string, ...types: string[]): void {
  for (const typeCode of types) insertDocument(profile.db, { nip, typeCode, state: 'ready' });
}

/** Moves the clock on; the clerk was working all along, so the idle lock does not fire. */
function at(date: Date): void {
  now = date;
  session.lastActivity = date.getTime();
}

function bytesOf(file: ExportedFile): Buffer {
  return Buffer.from(file.base64, 'base64');
}

beforeAll(async () => {
  work = tempDir('lemari-completeness-export-');
  const dataDir = join(work.dir, 'profil');
  profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock });
  session = profile.newSession();
  const { enrolment } = (await ok('auth.bootstrap', { nip: ADMIN, nama: 'Rina Kartika', password: 'arsip kepegawaian aman 2026' })) as { enrolment: { secret: string } };
  await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) });
  // Ani: III/d with a position, every archive held (one rank SK since her III/c entry).
  employee(ANI, 'Ani Wulandari', 'Bidang Arsip', 'III/d', 'Analis Kepegawaian');
  holds(ANI, 'DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'SK_PANGKAT', 'SK_JABATAN', 'IJAZAH', 'TRANSKRIP');
  // Budi: IV/a, two rank SKs owed, his SK PNS scan was rejected.
  employee(BUDI, 'Budi Santoso', 'Bidang Mutasi', 'IV/a', null);
  holds(BUDI, 'DRH', 'SK_CPNS', 'SPMT', 'IJAZAH');
  insertDocument(profile.db, { nip: BUDI, typeCode: 'SK_PNS', state: 'rejected' });
  // Citra: II/a, nothing scanned yet.
  employee(CITRA, 'Citra Lestari', 'Bidang Arsip', 'II/a', null);
  // Dedi: no unit on record, two archives held.
  employee(DEDI, 'Dedi Kurniawan', null, 'II/a', null);
  holds(DEDI, 'DRH', 'SK_CPNS');
});

afterAll(async () => {
  await profile.close();
  work.cleanup();
});

describe('completeness exports', () => {
  it('lists, as XLSX, every incomplete employee with what they lack, by unit then name', async () => {
    const file = await ok('completeness.exportGaps', { format: 'xlsx' });
    expect(file.fileName).toBe('kekurangan-berkas-kantor-2026-11-24.xlsx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const rows = await readSheet(bytesOf(file));
    expect(rows[0]).toEqual(['No', 'NIP', 'Nama', 'Unit kerja', 'Skor', 'Kurang', 'Berkas yang kurang']);
    // Ani is complete and absent; the employee without a unit comes last.
    expect(rows.slice(1).map((row) => row[2])).toEqual(['Citra Lestari', 'Budi Santoso', 'Dedi Kurniawan']);
    const budi = rows.find((row) => row[1] === BUDI)!;
    expect(budi[3]).toBe('Bidang Mutasi');
    expect(budi[5]).toBe(5);
    expect(budi[6]).toBe('D2NP; SK PNS (ditolak); SK Kenaikan Pangkat (2); Transkrip Nilai');
    const dedi = rows.find((row) => row[1] === DEDI)!;
    expect(dedi[3]).toBe('(tanpa unit kerja)');
    expect(dedi[6]).not.toContain('Daftar Riwayat Hidup');
    expect(dedi[6]).toContain('SK PNS');
    const summary = await ok('completeness.queue', { limit: 10 });
    expect(summary.items.find((item) => item.nip === BUDI)?.score).toBe(budi[4]);
  });

  it('makes the PDF of one unit with the agency, the operator signing, and an audit entry', async () => {
    const file = await ok('completeness.exportGaps', { unitKerja: 'Bidang Arsip', format: 'pdf' });
    expect(file.fileName).toBe('kekurangan-berkas-bidang-arsip-2026-11-24.pdf');
    expect(file.contentType).toBe('application/pdf');
    expect((await PDFDocument.load(bytesOf(file))).getPageCount()).toBe(1);
    const [text] = await pdfText(bytesOf(file));
    expect(text).toContain('Kantor Arsip Kepegawaian');
    expect(text).toContain('Daftar Kekurangan Berkas Kepegawaian');
    expect(text).toContain('Unit kerja: Bidang Arsip');
    // The NIP stays whole on one line.
    expect(text).toMatch(new RegExp(`${CITRA}\\s+Citra Lestari`));
    expect(text).not.toContain('Budi Santoso');
    expect(text).toContain('1 dari 2 pegawai');
    expect(text).toMatch(/Skor arsip rata-rata\s+:\s+76,5/);
    expect(text).toContain('Rina Kartika');
    expect(text).toContain(`NIP. ${ADMIN}`);
    expect(text).toContain('Halaman 1 dari 1');
    // The office's own name and city, once an admin has set them in Settings.
    await ok('settings.update', { agencyName: 'BKPSDM Kabupaten Contoh', agencyCity: 'Contoh' });
    const [named] = await pdfText(bytesOf(await ok('completeness.exportGaps', { unitKerja: 'Bidang Arsip', format: 'pdf' })));
    expect(named).toContain('BKPSDM Kabupaten Contoh');
    expect(named).toContain('Contoh, 24 November 2026');
    await ok('settings.update', { agencyName: null, agencyCity: null });
    const audit = await ok('audit.list', { action: 'completeness.exported' });
    expect(audit.items[0]).toMatchObject({ actor: ADMIN, action: 'completeness.exported' });
    expect(audit.items[0].detail).toMatchObject({ kind: 'gaps', unitKerja: 'Bidang Arsip', format: 'pdf', rows: 1 });
  });

  it('writes the gap list as CSV with a BOM and CRLF', async () => {
    const file = await ok('completeness.exportGaps', { unitKerja: 'Bidang Mutasi', format: 'csv' });
    const text = bytesOf(file).toString('utf8');
    expect(text.startsWith('\ufeffNo,NIP,Nama,Unit kerja,Skor,Kurang,Berkas yang kurang\r\n')).toBe(true);
    expect(text).toContain(`1,${BUDI},Budi Santoso,Bidang Mutasi,`);
  });

  it('prints the picking list in shelf order or in the work queue order', async () => {
    const byUnit = await ok('completeness.pickingList', {});
    expect(byUnit.fileName).toBe('daftar-ambil-berkas-kantor-2026-11-24.pdf');
    const unitText = (await pdfText(bytesOf(byUnit))).join(' ');
    expect(unitText).toContain('Daftar Pengambilan Map Arsip');
    expect(unitText).toMatch(/Ambil\s+No\s+NIP\s+Nama/);
    expect(unitText).toContain('Petugas pengambil');
    const position = (text: string, name: string) => text.indexOf(name);
    expect(position(unitText, 'Citra Lestari')).toBeLessThan(position(unitText, 'Budi Santoso'));
    expect(position(unitText, 'Budi Santoso')).toBeLessThan(position(unitText, 'Dedi Kurniawan'));

    const byQueue = await ok('completeness.pickingList', { order: 'queue' });
    const queueText = (await pdfText(bytesOf(byQueue))).join(' ');
    const queue = (await ok('completeness.queue', { limit: 10 })).items.map((item) => item.nama);
    expect(queue).toHaveLength(3);
    const printed = [...queue].sort((a, b) => position(queueText, a) - position(queueText, b));
    expect(printed).toEqual(queue);
    expect(queueText).toContain('antrean kerja');
  });

  it('grows a page per screenful of folders', async () => {
    for (let i = 0; i < 90; i++) employee(`19900101201503${String(1100 + i)}`, `Pegawai Contoh ${i}`, 'Bidang Pengadaan', 'II/a', null);
    const file = await ok('completeness.pickingList', { unitKerja: 'Bidang Pengadaan' });
    const pages = await pdfText(bytesOf(file));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toMatch(/Ambil\s+No\s+NIP\s+Nama/);
    expect(pages.at(-1)).toContain(`Halaman ${pages.length} dari ${pages.length}`);
    expect(pages.join(' ')).toContain('Pegawai Contoh 89');
  });

  it('refuses a format it does not make and anyone logged out', async () => {
    expect(await profile.api.call('completeness.exportGaps', { format: 'docx' }, { session })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await profile.api.call('completeness.pickingList', {}, { session: profile.newSession() })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe('completeness progress', () => {
  it('keeps a point a day of the office and of each unit, the last figures computed that day, oldest first', async () => {
    // The first look of the day is the work queue, not the chart: it takes the day's snapshot.
    at(new Date(2026, 10, 25, 8, 0));
    await ok('completeness.queue', { limit: 10 });
    const office = await ok('completeness.summary', {});
    const arsip = office.units.find((unit) => unit.unitKerja === 'Bidang Arsip')!;
    const first = await ok('completeness.progress', {});
    const today = first.days.at(-1)!;
    expect(today.day).toBe('2026-11-25');
    expect(today).toMatchObject({ employees: office.total.employees, averageScore: office.total.averageScore, lengkap: office.total.lengkap });
    // (The exports above, on the 24th, took that day's snapshot: a one-day window leaves it out.)
    const unitFirst = await ok('completeness.progress', { unitKerja: 'Bidang Arsip', days: 1 });
    expect(unitFirst.days).toEqual([{ day: '2026-11-25', employees: 2, averageScore: arsip.averageScore, lengkap: arsip.lengkap, lengkapShare: arsip.lengkap / 2 }]);
    expect((await ok('completeness.progress', { unitKerja: 'Bidang Mutasi' })).days.map((d) => [d.day, d.employees])).toEqual([
      ['2026-11-24', 1],
      ['2026-11-25', 1],
    ]);
    expect((await ok('completeness.progress', { unitKerja: 'Bidang Tidak Ada' })).days).toEqual([]);

    // Later the same day Citra's folder is scanned in full: the unit's figures, once computed, are the day's point.
    at(new Date(2026, 10, 25, 15, 0));
    holds(CITRA, 'DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH');
    expect((await ok('completeness.summary', { unitKerja: 'Bidang Arsip' })).total.lengkap).toBe(arsip.lengkap + 1);
    expect((await ok('completeness.progress', { unitKerja: 'Bidang Arsip', days: 1 })).days.map((d) => [d.day, d.lengkap])).toEqual([['2026-11-25', arsip.lengkap + 1]]);
    // The work queue and the chart only read: the office's point moves with the next office summary.
    await ok('completeness.queue', { limit: 10 });
    expect((await ok('completeness.progress', {})).days).toEqual(first.days);
    await ok('completeness.summary', {});
    expect((await ok('completeness.progress', {})).days.at(-1)).toMatchObject({ day: '2026-11-25', lengkap: today.lengkap + 1 });

    // Nobody opens the view on the 26th; computing a unit's figures takes the day's snapshot, with Citra done.
    at(new Date(2026, 10, 26, 8, 0));
    await ok('completeness.summary', { unitKerja: 'Bidang Mutasi' });
    // The 27th: the view is opened. Each unit's chart has a point a day, the 26th's with Citra Lengkap.
    at(new Date(2026, 10, 27, 10, 0));
    const unit = await ok('completeness.progress', { unitKerja: 'Bidang Arsip', days: 3 });
    expect(unit.days.map((d) => [d.day, d.lengkap])).toEqual([
      ['2026-11-25', arsip.lengkap + 1],
      ['2026-11-26', arsip.lengkap + 1],
      ['2026-11-27', arsip.lengkap + 1],
    ]);
    const next = await ok('completeness.progress', { days: 30 });
    expect(next.days.map((d) => d.day).slice(-3)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    expect(next.days.at(-2)!.lengkap).toBe(today.lengkap + 1);
    expect((await ok('completeness.progress', { days: 1 })).days.map((d) => d.day)).toEqual(['2026-11-27']);
    expect((await ok('completeness.progress', { days: 2, unitKerja: 'Bidang Arsip' })).days.map((d) => d.day)).toEqual(['2026-11-26', '2026-11-27']);
    expect(await profile.api.call('completeness.progress', { days: 0 }, { session })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
