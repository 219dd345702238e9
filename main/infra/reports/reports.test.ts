import { PDFDocument } from 'pdf-lib';
import { readSheet } from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../tests/helpers/pdf-text';
import { CHECKBOX, exportReport, fileStem, renderCsv, renderPdf, renderXlsx, type ReportDoc } from './index';

function doc(rows: number, extra: Partial<ReportDoc> = {}): ReportDoc {
  return {
    agency: 'Badan Kepegawaian Daerah Kota Contoh',
    title: 'Daftar Kekurangan Berkas',
    subtitle: 'Unit: Dinas Pendidikan',
    facts: [
      ['Tanggal', '24 November 2026'],
      ['Operator', 'Siti Aminah'],
    ],
    paragraphs: ['Daftar ini memuat pegawai yang berkasnya belum lengkap.'],
    tables: [
      {
        title: 'Kekurangan',
        columns: ['No', 'NIP', 'Nama', 'Kekurangan'],
        widths: [1, 4, 5, 8],
        rows: Array.from({ length: rows }, (_, i) => [i + 1, `1985010120100110${String(i % 100).padStart(2, '0')}`, `Pegawai ${i + 1}`, 'SK CPNS, SK PNS, Ijazah dan transkrip pendidikan terakhir']),
      },
    ],
    placeDate: 'Kota Contoh, 24 November 2026',
    signatures: [
      { role: 'Yang membuat', name: 'Siti Aminah', nip: '198501012010012001' },
      { role: 'Kepala BKD' },
    ],
    generatedAt: new Date(2026, 10, 24, 10, 5),
    pageLabel: (page, pages) => `Halaman ${page} dari ${pages}`,
    ...extra,
  };
}

describe('renderPdf', () => {
  it('makes an A4 PDF whose page count grows with the rows', async () => {
    const short = await PDFDocument.load(await renderPdf(doc(3)));
    const long = await PDFDocument.load(await renderPdf(doc(200)));
    expect(short.getPageCount()).toBe(1);
    expect(long.getPageCount()).toBeGreaterThan(3);
    const { width, height } = long.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
  });

  it('puts the agency on every page, repeats the header row, and numbers the pages', async () => {
    const pages = await pdfText(await renderPdf(doc(120)));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      expect(text).toContain('Badan Kepegawaian Daerah Kota Contoh');
      expect(text).toContain(`Halaman ${i + 1} dari ${pages.length}`);
      expect(text).toContain('2026-11-24 10:05');
      expect(text).toMatch(/No\s+NIP\s+Nama\s+Kekurangan/);
    });
    expect(pages[0]).toContain('Daftar Kekurangan Berkas');
    expect(pages[0]).toContain('Siti Aminah');
    const all = pages.join(' ');
    expect(all).toContain('Pegawai 120');
    expect(pages.at(-1)).toContain('Kota Contoh, 24 November 2026');
    expect(pages.at(-1)).toContain('NIP. 198501012010012001');
    expect(pages.at(-1)).toContain('Kepala BKD');
  });

  it('draws text the standard fonts lack instead of throwing', async () => {
    const bytes = await renderPdf(
      doc(1, {
        title: 'Laporan Şükrü — 日本 🙂',
        agency: 'Pemerintah Kabupaten Ağrı',
        tables: [{ columns: ['Nama'], rows: [['Ŝtefan Łukasz é ü\nbaris\tkedua'], [null], [12.5]] }],
        generatedLabel: 'Dibuat 24-11-2026 10.05',
      }),
    );
    const [text] = await pdfText(bytes);
    expect(text).toContain('Laporan Sükrü — ?? ?');
    expect(text).toContain('Pemerintah Kabupaten Agri');
    expect(text).toContain('Stefan Lukasz é ü baris kedua');
    expect(text).toContain('Dibuat 24-11-2026 10.05');
  });

  it('draws a checkbox cell as a box to tick, not as a replaced character', async () => {
    const [text] = await pdfText(await renderPdf(doc(0, { tables: [{ columns: ['Ambil', 'Nama'], rows: [[CHECKBOX, 'Budi Santoso']] }] })));
    expect(text).toMatch(/Ambil\s+Nama\s+Budi Santoso/);
    expect(text).not.toContain('?');
  });

  it('wraps a long cell over lines and splits a row taller than a page', async () => {
    const essay = Array.from({ length: 1500 }, (_, i) => `kata${i}`).join(' ');
    const bytes = await renderPdf(doc(0, { tables: [{ columns: ['Isi'], rows: [[essay]] }] }));
    const pages = await pdfText(bytes);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.join(' ')).toContain('kata1499');
  });
});

describe('renderXlsx', () => {
  it('writes one sheet per table whose cells read back', async () => {
    const report = doc(2, {
      tables: [
        { title: 'Kekurangan: unit [A]', columns: ['NIP', 'Jumlah'], rows: [['198501012010011001', 3], ['=cmd|calc', null]] },
        { title: 'Kekurangan: unit [A]', columns: ['Unit'], rows: [['Dinas Pendidikan']] },
      ],
    });
    const bytes = await renderXlsx(report);
    const sheets = await readSheet(Buffer.from(bytes), 1);
    expect(sheets).toEqual([
      ['NIP', 'Jumlah'],
      ['198501012010011001', 3],
      ['=cmd|calc', null],
    ]);
    expect(await readSheet(Buffer.from(bytes), 2)).toEqual([['Unit'], ['Dinas Pendidikan']]);
  });
});

describe('renderCsv', () => {
  it('writes a BOM, CRLF lines and defuses formulas', () => {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(renderCsv(doc(0, { tables: [{ columns: ['Nama', 'Skor'], rows: [['=cmd|"/c calc"!A1', -5], ['Budi, S.Pd', 80.5]] }] })));
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.slice(1)).toBe(`Nama,Skor\r\n"'=cmd|""/c calc""!A1",-5\r\n"Budi, S.Pd",80.5\r\n`);
  });
});

describe('exportReport', () => {
  it('names the file after the title and date and carries its bytes as base64', async () => {
    const file = await exportReport(doc(1), 'csv');
    expect(file.fileName).toBe('daftar-kekurangan-berkas-2026-11-24.csv');
    expect(file.contentType).toBe('text/csv');
    expect(Buffer.from(file.base64, 'base64').toString('utf8')).toContain('Pegawai 1');
    expect((await exportReport(doc(1), 'pdf', 'picking-list.pdf')).fileName).toBe('picking-list.pdf');
    expect(fileStem('Ümit & Çelik!')).toBe('umit-celik');
  });
});
