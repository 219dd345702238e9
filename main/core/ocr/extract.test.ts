import { describe, expect, it } from 'vitest';
import { extractFields, wordAccuracy } from './extract';

const today = { y: 2026, m: 11, d: 24 };

// As tesseract returns a kenaikan pangkat SK: blank lines, spaced NIP, the date on its own line.
const kenaikanPangkat = `PEMERINTAH KABUPATEN SLEMAN
BADAN KEPEGAWAIAN DAERAH

KEPUTUSAN BUPATI SLEMAN
NOMOR : 823.3/1234/BKD/2016

TENTANG KENAIKAN PANGKAT PEGAWAI NEGERI SIPIL
Nama : Budi Santoso
NIP : 19850312 201001 1 004
Pangkat baru : Penata Muda Tingkat I, III/b
terhitung mulai tanggal 1 April 2016

Ditetapkan di Sleman
pada tanggal 12 Maret 2016
BUPATI SLEMAN`;

// A CPNS appointment typed with numeric dates, a dotted NIP and the number on "Nomor:".
const pengangkatan = `KEPUTUSAN KEPALA BADAN KEPEGAWAIAN DAERAH PROVINSI JAWA TENGAH
Nomor: 800/123/BKD/2019
tentang Pengangkatan Calon Pegawai Negeri Sipil
Nama      : Sri Rahayu, S.Pd.
NIP       : 19920715.201902.2.003
TMT 01-03-2019
Ditetapkan di Semarang, pada tanggal 14-02-2019`;

describe('extractFields', () => {
  it('reads NIP, nomor, tanggal SK and TMT from a kenaikan pangkat SK', () => {
    expect(extractFields(kenaikanPangkat, today)).toEqual({ nip: '198503122010011004', nomor: '823.3/1234/BKD/2016', tanggal: '2016-03-12', tmt: '2016-04-01' });
  });

  it('reads numeric dates, "Nomor:" and a dotted NIP', () => {
    expect(extractFields(pengangkatan, today)).toEqual({ nip: '199207152019022003', nomor: '800/123/BKD/2019', tanggal: '2019-02-14', tmt: '2019-03-01' });
  });

  it('accepts old spellings and OCR misreads of ones and zeros on the NIP line', () => {
    const text = 'NIP. 196O1105 l98703 1 0O2\nterhitung mulai tanggal l Nopember 1987\nDitetapkan di Bantul pada tanggal 3 Pebruari 1988';
    expect(extractFields(text, today)).toMatchObject({ nip: '196011051987031002', tmt: '1987-11-01', tanggal: '1988-02-03' });
  });

  it('reads through what OCR does to speckled scans: words run together, a month cut short', () => {
    expect(extractFields('terhitung mulai tanggal 1 Apri 2024 . l\n— padatanggal 5 Maret 2024', today)).toMatchObject({ tanggal: '2024-03-05', tmt: '2024-04-01' });
  });

  it('proposes nothing it cannot validate: an impossible NIP, a date that does not exist, a nomor without digits', () => {
    const text = 'NIP : 19851312 201001 1 004\nNomor/Tahun : ABC/DEF\nterhitung mulai tanggal 31 Februari 2016';
    expect(extractFields(text, today)).toEqual({ nip: null, nomor: null, tanggal: null, tmt: null });
  });

  it('does not take the TMT for the tanggal SK', () => {
    expect(extractFields('terhitung mulai tanggal 1 April 2016', today)).toMatchObject({ tanggal: null, tmt: '2016-04-01' });
  });

  it('finds a NIP in a table even without its label', () => {
    expect(extractFields('1. Budi Santoso 19850312 201001 1 004 Penata', today).nip).toBe('198503122010011004');
  });
});

describe('wordAccuracy', () => {
  it('is 1 for the same words regardless of case, punctuation and line breaks', () => {
    expect(wordAccuracy('NOMOR : 823.3/1234', 'nomor 823 3\n1234')).toBe(1);
  });

  it('costs one per missed, extra or misread word', () => {
    expect(wordAccuracy('pada tanggal 12 Maret 2016', 'pada tangga1 12 Maret')).toBeCloseTo(3 / 5);
    expect(wordAccuracy('a b', 'x y z w v')).toBe(0);
  });
});
