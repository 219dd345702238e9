import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, referenceData, testDb, translateId } from '../../../tests/helpers/profile';
import { createAuditLog } from '../audit';
import { readTable } from '../../infra/sheets';
import { createEmployees, normalizeGolongan, parseCsv, type EmployeesService } from './index';

const actor = { id: 'tester' };
let ctx: ReturnType<typeof testDb>;
let employees: EmployeesService;

beforeEach(() => {
  ctx = testDb();
  employees = createEmployees({ db: ctx.db, clock: fixedClock, translate: translateId, reference: referenceData, readTable, audit: createAuditLog({ db: ctx.db, clock: fixedClock }) });
});
afterEach(() => ctx.cleanup());

const HEADER = 'NIP;Nama;Tempat Lahir;Tanggal Lahir;Gol;Jabatan;Unit Kerja;Kedudukan Hukum';

describe('parseCsv', () => {
  it('reads semicolon and comma files, quotes, BOM and CRLF', () => {
    expect(parseCsv('\ufeffa;b\r\n"x;1";"say ""hi"""\r\n')).toEqual([['a', 'b'], ['x;1', 'say "hi"']]);
    expect(parseCsv('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\n"multi\nline",2')).toEqual([['a', 'b'], ['multi\nline', '2']]);
  });
});

describe('normalizeGolongan', () => {
  it('maps the ways golongan is written to the reference code', () => {
    const reference = referenceData();
    expect(normalizeGolongan('III/a', reference)).toBe('III/a');
    expect(normalizeGolongan('iii-a', reference)).toBe('III/a');
    expect(normalizeGolongan('3a', reference)).toBe('III/a');
    expect(normalizeGolongan('31', reference)).toBe('III/a');
    expect(normalizeGolongan('IX', reference)).toBe('IX');
  });
});

describe('employee import', () => {
  it('imports valid rows, rejects each bad row with its row number and reason, and never duplicates', async () => {
    const file = join(ctx.dir, 'pegawai.csv');
    writeFileSync(
      file,
      [
        HEADER,
        '19900101 201503 1 001;Budi Santoso;Medan;01-01-1990;III/a;Analis SDM;Bidang Mutasi;01',
        '199013012015031001;Bulan Tiga Belas;X;;III/a;;;01',
        '199202292015032002;Siti Kabisat;Bogor;29/02/1992;3b;Arsiparis;Bidang Arsip;Aktif',
        '200005152018051001;Terlalu Muda;X;;;;;',
        '199001012015031001;Budi Lagi;X;;;;;',
        '198503122010011003;;X;;;;;',
        '198503122010011004;Salah Lahir;X;13-03-1985;;;;',
        '198503122010011005;Kode Aneh;X;;;;;42',
      ].join('\n'),
    );
    const report = await employees.importFile(file, 'pegawai.csv', actor);
    expect(report.inserted).toBe(2);
    expect(report.rejected.map((r) => r.row)).toEqual([3, 5, 6, 7, 8, 9]);
    expect(report.rejected[0].message).toBe('Baris 3: Tanggal lahir dalam NIP (19901301) bukan tanggal yang ada');
    expect(report.rejected[1].message).toContain('sebelum pegawai berusia 18 tahun');
    expect(report.rejected[2].message).toBe('Baris 6: NIP 199001012015031001 sudah ada di baris 2');
    expect(report.rejected[3].message).toBe('Baris 7: kolom nama kosong');
    expect(report.rejected[4].message).toContain('13-03-1985');
    expect(report.rejected[5].message).toContain('"42"');

    const budi = employees.get('199001012015031001').employee;
    expect(budi).toMatchObject({ nama: 'Budi Santoso', golongan: 'III/a', kedudukanHukum: '01', tanggalLahir: '1990-01-01', unitKerja: 'Bidang Mutasi' });
    expect(employees.get('199202292015032002').employee.golongan).toBe('III/b');

    // Re-import: one change, one unchanged; still two employees.
    writeFileSync(file, [HEADER, '199001012015031001;Budi Santoso;Medan;1990-01-01;III/b;Analis SDM;Bidang Mutasi;01', '199202292015032002;Siti Kabisat;Bogor;29/02/1992;3b;Arsiparis;Bidang Arsip;Aktif'].join('\n'));
    const again = await employees.importFile(file, 'pegawai.csv', actor);
    expect(again).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, rejected: [] });
    expect(ctx.db.prepare('SELECT count(*) AS n FROM employees').get()).toEqual({ n: 2 });
    expect(employees.get('199001012015031001').employee.golongan).toBe('III/b');
  });

  it('reads XLSX with a title row above the header and a PPPK column', async () => {
    const file = join(ctx.dir, 'pegawai.xlsx');
    await writeXlsxFile(
      [
        [{ value: 'DAFTAR PEGAWAI BKPSDM' }],
        ['NIP BARU', 'NAMA', 'TEMPAT LAHIR', 'TANGGAL LAHIR', 'JENIS PEGAWAI', 'UNOR'].map((value) => ({ value })),
        [{ value: '198503122021152001' }, { value: 'Rina PPPK' }, { value: 'Padang' }, { value: new Date(Date.UTC(1985, 2, 12)), type: Date, format: 'dd/mm/yyyy' }, { value: 'PPPK' }, { value: 'Dinas Pendidikan' }],
        [{ value: 199001012015031000, type: Number }, { value: 'Angka Excel' }, null, null, null, null],
      ],
    ).toFile(file);
    const report = await employees.importFile(file, 'pegawai.xlsx', actor);
    expect(report.inserted).toBe(1);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]).toMatchObject({ row: 4 });
    expect(report.rejected[0].message).toContain('format kolom NIP sebagai Teks');
    expect(employees.get('198503122021152001').employee).toMatchObject({ kind: 'pppk', unitKerja: 'Dinas Pendidikan', tanggalLahir: '1985-03-12' });
  });

  it('says which columns it found when there is no NIP column, and imports nothing', async () => {
    const file = join(ctx.dir, 'salah.csv');
    writeFileSync(file, 'Nomor;Nama\n1;Budi\n');
    await expect(employees.importFile(file, 'salah.csv', actor)).rejects.toThrow('Kolom NIP tidak ditemukan di baris judul. Kolom yang ada: Nomor, Nama');
  });

  it('refuses a file that is neither CSV nor XLSX', async () => {
    const file = join(ctx.dir, 'pegawai.doc');
    writeFileSync(file, 'hello');
    await expect(employees.importFile(file, 'pegawai.doc', actor)).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('finds employees by name fragment, NIP and unit', async () => {
    const file = join(ctx.dir, 'p.csv');
    writeFileSync(file, [HEADER, '199001012015031001;Budi Santoso;;;;;Bidang Mutasi;', '199202292015032002;Siti Aminah;;;;;Bidang Arsip;'].join('\n'));
    await employees.importFile(file, 'p.csv', actor);
    expect(employees.search({ text: 'bud', limit: 10, offset: 0 }).items.map((e) => e.nama)).toEqual(['Budi Santoso']);
    expect(employees.search({ text: '19920229 201503 2 002', limit: 10, offset: 0 }).items.map((e) => e.nama)).toEqual(['Siti Aminah']);
    expect(employees.search({ text: '', unitKerja: 'Bidang Arsip', limit: 10, offset: 0 }).total).toBe(1);
    expect(employees.units()).toEqual(['Bidang Arsip', 'Bidang Mutasi']);
  });
});
