// The employee list: a CSV import reports what it took and every refused row by its row
// number; an employee's folder shows their documents and opens them in the viewer.
import { expect, test } from './fixtures';
import { makePdf, NIP, textFile } from './support';

const CSV = [
  'NIP;Nama;Unit Kerja;Golongan',
  `${NIP};Budi Santoso;Bidang Mutasi;III/a`,
  '19900101201503100;Siti Aminah;Bidang Mutasi;III/b',
  '198507142010012002;Rina Wulandari;Sekretariat;III/c',
].join('\n');

test('an employee CSV import shows the rejected row with its row number', async ({ app }) => {
  await app.go('employees');
  await app.employees.importList(textFile('pegawai.csv', CSV, 'text/csv'));

  await expect(app.employees.report).toContainText('2 baru, 0 diperbarui, 0 tidak berubah, 1 ditolak');
  const row = app.employees.rejected.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').first()).toHaveText('3');
  await expect(row).toContainText('Baris 3: NIP harus 18 digit, yang diisi 17 digit');

  await expect(app.employees.list.locator('tbody tr')).toHaveCount(2);
  await app.employees.search.fill('rina');
  await expect(app.employees.list.locator('tbody tr')).toHaveCount(1);
  await expect(app.employees.list).toContainText('Rina Wulandari');
});

test("an employee's folder lists their documents by type and opens one", async ({ app, page }) => {
  await app.go('employees');
  await app.employees.importList(textFile('pegawai.csv', CSV, 'text/csv'));
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SK PNS'])]);
  await app.go('label');
  await expect(page.getByTestId('label-employee')).toContainText('Budi Santoso');
  await app.label.field('nomor').fill('800/1/2015');
  await app.label.field('tanggal').fill('2015-03-01');
  await app.label.field('tmt').fill('2015-03-01');
  await page.keyboard.press('Control+Enter');
  await expect(app.label.empty).toBeVisible();

  await app.go('employees');
  await app.employees.search.fill('budi');
  await app.employees.list.getByRole('button', { name: NIP }).click();
  await expect(app.employees.folder).toContainText('Budi Santoso');
  await expect(app.employees.folder.getByRole('heading', { name: /SK PNS/ })).toBeVisible();
  await app.employees.folder.getByTestId('folder-doc').first().click();
  await expect(app.viewer.root).toBeVisible();
  await app.viewer.waitPainted();
});
