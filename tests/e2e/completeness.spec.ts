// Completeness: a missing SK PNS on the employee's checklist turns held once a scan of it
// is imported and labelled, and the Kelengkapan view's work queue and office score follow.
import { expect, test } from './fixtures';
import { makePdf, NIP, textFile } from './support';

const CSV = ['NIP;Nama;Unit Kerja;Golongan', `${NIP};Budi Santoso;Bidang Mutasi;III/a`, '198507142010012002;Rina Wulandari;Sekretariat;III/c'].join('\n');

test('a missing SK PNS turns held after its scan is imported and labelled', async ({ app, page }) => {
  await app.go('employees');
  await app.employees.importList(textFile('pegawai.csv', CSV, 'text/csv'));
  await app.employees.list.getByRole('button', { name: NIP }).click();
  await expect(app.completeness.item('SK_PNS')).toHaveAttribute('data-status', 'missing');
  await expect(app.completeness.item('SK_PNS')).toContainText('SK PNS');
  // Nothing held: only the items this history does not call for count (in full, as the DMS does).
  await expect(app.completeness.checklist).toContainText('Skor arsip 47,1 dari 100');
  await page.getByRole('button', { name: 'Kembali ke daftar pegawai' }).click();

  await app.go('completeness');
  await expect(app.completeness.queueCount).toHaveText('2 pegawai belum lengkap');
  await expect(app.completeness.average).toHaveText('47,1');
  await expect(app.completeness.queueRow(NIP)).toContainText('SK PNS');

  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SK PNS'])]);
  await app.go('label');
  await expect(page.getByTestId('label-employee')).toContainText('Budi Santoso');
  await app.label.saveFields({ nomor: '800/1/2015', tanggal: '2015-03-01', tmt: '2015-03-01' });

  await app.go('completeness');
  await expect(app.completeness.queueRow(NIP)).not.toContainText('SK PNS');
  // SK PNS weighs 7.5 of 85: Budi 55.9, Rina still 47.1.
  await expect(app.completeness.average).toHaveText('51,5');

  await app.go('employees');
  await app.employees.search.fill('budi');
  await app.employees.list.getByRole('button', { name: NIP }).click();
  await expect(app.completeness.item('SK_PNS')).toHaveAttribute('data-status', 'held');
  await expect(app.completeness.item('D2NP')).toHaveAttribute('data-status', 'missing');
  await expect(app.completeness.checklist).toContainText('Skor arsip 55,9 dari 100');
});
