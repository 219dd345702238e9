// Employee history (issue 7): a SIASN rank history imported in Pegawai (by keyboard) reports
// its refused row by number and reason, and Kelengkapan then expects an SK pangkat for the
// rank change, listing the record under the checklist item until a labelled SK matches it.
import { expect, test } from './fixtures';
import { makePdf, NIP, textFile } from './support';

const EMPLOYEES = ['NIP;Nama;Unit Kerja;Golongan', `${NIP};Budi Santoso;Bidang Mutasi;III/b`].join('\n');
const RANKS = [
  'NIP;GOL;TMT GOLONGAN;NO SK',
  `${NIP};III/a;01-03-2015;813/2015`,
  `${NIP};III/b;01/04/2019;823/KP/2019`,
  '199901012020011099;III/b;01-04-2019;900/2019',
].join('\n');

test('an imported rank history makes Kelengkapan expect the SK pangkat it names', async ({ app, page }) => {
  await app.go('employees');
  await app.employees.importList(textFile('pegawai.csv', EMPLOYEES, 'text/csv'));
  // III/b is an entry rank: without history no SK pangkat is expected.
  await app.go('completeness');
  await expect(app.completeness.queueRow(NIP)).not.toContainText('SK PANGKAT');

  await app.go('employees');
  await app.employees.importHistory(textFile('rw-golongan.csv', RANKS, 'text/csv'));
  await expect(app.employees.historyReport).toContainText('Riwayat Golongan: 2 baru, 0 diperbarui, 0 tidak berubah, 1 ditolak');
  const rejected = app.employees.historyRejected.locator('tbody tr');
  await expect(rejected).toHaveCount(1);
  await expect(rejected.locator('td').first()).toHaveText('4');
  await expect(rejected).toContainText('Baris 4: NIP 199901012020011099 tidak ada di daftar pegawai');

  await app.go('completeness');
  await expect(app.completeness.queueRow(NIP)).toContainText('SK PANGKAT');
  await app.completeness.queueRow(NIP).getByRole('button', { name: NIP }).click();
  await expect(app.completeness.item('SK_PANGKAT')).toHaveAttribute('data-status', 'missing');
  await expect(app.completeness.records('SK_PANGKAT')).toHaveCount(1);
  await expect(app.completeness.records('SK_PANGKAT').first()).toContainText('III/b TMT 01-04-2019');
  await expect(app.completeness.records('SK_PANGKAT').first()).toHaveAttribute('data-matched', 'none');

  // The SK for that rank change, labelled with its number: the gap closes and the record shows it matched.
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PANGKAT.pdf`, ['SK KENAIKAN PANGKAT'])]);
  await app.go('label');
  await expect(page.getByTestId('label-employee')).toContainText('Budi Santoso');
  await app.label.field('golongan').selectOption('III/b');
  await app.label.saveFields({ nomor: '823/KP/2019', tanggal: '2019-03-15', tmt: '2019-04-01' });

  await app.go('completeness');
  await expect(app.completeness.queueRow(NIP)).not.toContainText('SK PANGKAT');
  await app.completeness.queueRow(NIP).getByRole('button', { name: NIP }).click();
  await expect(app.completeness.item('SK_PANGKAT')).toHaveAttribute('data-status', 'held');
  await expect(app.completeness.records('SK_PANGKAT').first()).toHaveAttribute('data-matched', 'nomor');
});
