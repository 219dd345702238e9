import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../common/history';
import { referenceData } from '../../../tests/helpers/profile';
import { labelFieldsOf, recordOfSheetRef, sheetRefOf } from './sheets';

const today = { y: 2026, m: 11, d: 24 };
const BLANK: Omit<HistoryRecord, 'id' | 'kind'> = {
  nip: '199001012015031001',
  idRiwayat: null,
  golongan: null,
  jenisKp: null,
  jabatan: null,
  unit: null,
  tingkat: null,
  jurusan: null,
  tahunLulus: null,
  nomorIjazah: null,
  instansiAsal: null,
  instansiTujuan: null,
  tmt: null,
  selesai: null,
  nomorSk: null,
  tanggalSk: null,
  importedAt: '2026-11-24T02:00:00.000Z',
  importedBy: 'admin',
};
const rank = (id: number, golongan: string, tmt: string, more: Partial<HistoryRecord> = {}): HistoryRecord => ({ ...BLANK, id, kind: 'golongan', golongan, tmt, ...more });
const school = (id: number, tingkat: string, tahunLulus: number | null, more: Partial<HistoryRecord> = {}): HistoryRecord => ({ ...BLANK, id, kind: 'pendidikan', tingkat, tahunLulus, ...more });

describe('separator sheet references to history records', () => {
  it('names a record by its SIASN id, else by its kind and date or level and year, never by this workstation\'s row id', () => {
    expect(sheetRefOf(rank(7, 'III/b', '2019-04-01'))).toBe('gt20190401');
    expect(sheetRefOf(rank(7, 'III/b', '2019-04-01', { idRiwayat: '8f3c2a10-77b1-4c1e-9d2e-0a1b2c3d4e5f' }))).toBe('gi8f3c2a10-77b1-4c1e-9d2e-0a1b2c3d4e5f');
    expect(sheetRefOf(school(8, 'S1', 2010))).toBe('peS1-2010');
    expect(sheetRefOf(school(8, 'S1', null))).toBe('peS1-');
    // An id the QR code cannot carry (a slash, too long) falls back to the date.
    expect(sheetRefOf(rank(7, 'III/b', '2019-04-01', { idRiwayat: 'rw/77' }))).toBe('gt20190401');
    expect(sheetRefOf(rank(7, 'III/b', '2019-04-01', { idRiwayat: 'x'.repeat(60) }))).toBe('gt20190401');
    expect(sheetRefOf({ ...BLANK, id: 9, kind: 'jabatan', jabatan: 'Analis' })).toBeUndefined();
  });

  it('finds the record a reference names, also by its date once SIASN\'s id arrived, and none when two answer', () => {
    const records = [rank(1, 'III/a', '2015-03-01'), rank(2, 'III/b', '2019-04-01', { idRiwayat: 'rw-2' }), school(3, 'S1', 2010)];
    expect(recordOfSheetRef(records, 'gt20150301')?.id).toBe(1);
    expect(recordOfSheetRef(records, 'girw-2')?.id).toBe(2);
    // Printed before the re-import that brought the id.
    expect(recordOfSheetRef(records, 'gt20190401')?.id).toBe(2);
    expect(recordOfSheetRef(records, 'peS1-2010')?.id).toBe(3);
    // The same date under another kind is another record.
    expect(recordOfSheetRef(records, 'jt20150301')).toBeNull();
    expect(recordOfSheetRef([...records, rank(4, 'III/a', '2015-03-01', { idRiwayat: 'dup' })], 'gt20150301')).toBeNull();
  });

  it('fills the fields the type defines with values the labelling rules accept', () => {
    const reference = referenceData();
    const type = (code: string) => reference.documentTypes.find((t) => t.code === code)!;
    const record = rank(2, 'III/b', '2019-04-01', { nomorSk: ' 823/KP/2019 ', tanggalSk: '2019-03-15', jabatan: 'Analis' });
    expect(labelFieldsOf(record, type('SK_PANGKAT'), reference, today)).toEqual({ nomor: '823/KP/2019', tanggal: '2019-03-15', tmt: '2019-04-01', golongan: 'III/b' });
    // A golongan the form does not offer and an SK dated in the future are left for the clerk.
    expect(labelFieldsOf(rank(2, 'Z/z', '2019-04-01', { tanggalSk: '2027-01-01' }), type('SK_PANGKAT'), reference, today)).toEqual({ tmt: '2019-04-01' });
    expect(labelFieldsOf(school(3, 'S1', 2010, { nomorIjazah: 'UI-2010-1', tanggalSk: '2010-08-01' }), type('IJAZAH'), reference, today)).toEqual({ nomor: 'UI-2010-1', jenjang: 'S1' });
  });
});
