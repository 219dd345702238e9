import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReferenceData } from './doctypes';
import { guessFromFileName, normalizeWords } from './filename-guess';

const today = { y: 2026, m: 11, d: 24 };
const types = ReferenceData.parse(JSON.parse(readFileSync(new URL('../resources/reference-data.json', import.meta.url), 'utf8'))).documentTypes;
const guess = (name: string) => guessFromFileName(name, types, today);

describe('guessFromFileName', () => {
  it('reads the NIP and the type from a scanner-style name', () => {
    expect(guess('199001012015031001_SK_PNS.pdf')).toEqual({ nip: '199001012015031001', typeCode: 'SK_PNS' });
    expect(guess('199001012015031001 - ijazah S1.pdf')).toEqual({ nip: '199001012015031001', typeCode: 'IJAZAH' });
  });

  it('reads a NIP written in groups with spaces, dots or dashes', () => {
    expect(guess('SK CPNS 19900101 201503 1 001.pdf').nip).toBe('199001012015031001');
    expect(guess('19900101.201503.2.001 drh.jpg')).toEqual({ nip: '199001012015032001', typeCode: 'DRH' });
    expect(guess('19900101-201503-1-001-skp-2023.tif')).toEqual({ nip: '199001012015031001', typeCode: 'SKP' });
  });

  it('finds a NIP followed by a year in the same digit run', () => {
    expect(guess('199001012015031001 2019.pdf').nip).toBe('199001012015031001');
  });

  it('refuses numbers that are not a valid NIP', () => {
    // 18 digits, but no 13th month in the birth date (neither PNS nor PPPK).
    expect(guess('199013012015031001_SK_PNS.pdf').nip).toBeNull();
    // 19 digits: an 18-digit window of a longer number is not a NIP.
    expect(guess('1199001012015031001.pdf').nip).toBeNull();
    // TMT in the future relative to the pinned today.
    expect(guess('199001012027011001.pdf').nip).toBeNull();
    expect(guess('scan 0001.pdf').nip).toBeNull();
  });

  it('accepts an NI PPPK', () => {
    expect(guess('198505052022011002 kontrak.pdf').nip).toBe('198505052022011002');
  });

  it('prefers the longest alias: "sk pns" over "pns", "sk cpns" over "cpns"', () => {
    expect(guess('SK_PNS_budi.pdf').typeCode).toBe('SK_PNS');
    expect(guess('sk-cpns budi.pdf').typeCode).toBe('SK_CPNS');
    expect(guess('SKPNS.pdf').typeCode).toBe('SK_PNS');
    expect(guess('sertifikat kursus bahasa.pdf').typeCode).toBe('KURSUS');
    expect(guess('dokumen PAK 2021.pdf').typeCode).toBe('DOK_PAK');
  });

  it('matches whole words only', () => {
    // "pakaian" contains "pak", "kpu" contains "kp": neither is a word of its own.
    expect(guess('foto pakaian dinas.jpg').typeCode).toBeNull();
    expect(guess('surat kpu.pdf').typeCode).toBeNull();
  });

  it('splits letters from digits so "SKP2023" and "D2NP" still match', () => {
    expect(guess('SKP2023.pdf').typeCode).toBe('SKP');
    expect(guess('d2np_budi.pdf').typeCode).toBe('D2NP');
  });

  it('ignores case, accents and the extension', () => {
    expect(guess('IJAZAH.PDF').typeCode).toBe('IJAZAH');
    expect(guess('Ijázah.pdf').typeCode).toBe('IJAZAH');
    // The extension is not a word of the name.
    expect(guess('scan.pak').typeCode).toBeNull();
  });

  it('looks at the base name only', () => {
    expect(guess('C:\\Scan\\ijazah\\halaman 1.pdf').typeCode).toBeNull();
    expect(guess('/home/arsip/sk pns/halaman 1.pdf').typeCode).toBeNull();
  });

  it('returns nothing for a name without hints', () => {
    expect(guess('IMG_20240101_0001.jpg')).toEqual({ nip: null, typeCode: null });
    expect(guess('')).toEqual({ nip: null, typeCode: null });
  });
});

describe('normalizeWords', () => {
  it('turns separators into single spaces', () => {
    expect(normalizeWords('SK_PNS--Budi.. (final)')).toBe('sk pns budi final');
    expect(normalizeWords('SKP2023')).toBe('skp 2023');
  });
});
