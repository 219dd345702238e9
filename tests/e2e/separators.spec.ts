// Separator sheets in the UI: the clerk prints sheets from the employee's checklist (a PDF
// downloads), puts them in front of the documents, scans the folder in one feeder pass and
// imports the stack: the documents appear in the employee's folder, labelled by type.
import { expect, test } from './fixtures';
import { SeparatorsPage } from './pages/separators';
import { NIP, textFile } from './support';
import { feederStackPdf, letterLines } from '../fixtures/feeder-stack';

const CSV = ['NIP;Nama;Unit Kerja;Golongan', `${NIP};Budi Santoso;Bidang Mutasi;III/a`].join('\n');

test('sheets printed from the checklist split a scanned stack into labelled documents', async ({ app, page }) => {
  test.setTimeout(120_000);
  const separators = new SeparatorsPage(page);
  await app.go('employees');
  await app.employees.importList(textFile('pegawai.csv', CSV, 'text/csv'));
  await app.employees.list.getByRole('button', { name: NIP }).click();

  const all = await separators.download(separators.printMissing);
  expect(all.download.suggestedFilename()).toBe(`lembar-pemisah-${NIP}.pdf`);
  expect(all.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expect(page.getByText(`Lembar pemisah lembar-pemisah-${NIP}.pdf diunduh`)).toBeVisible();

  const drh = await separators.download(separators.printOne('DRH'));
  const ijazah = await separators.download(separators.printOne('IJAZAH'));
  const stack = await feederStackPdf(
    [
      { kind: 'printed', pdf: drh.bytes, index: 0 },
      { kind: 'text', lines: letterLines(1) },
      { kind: 'printed', pdf: ijazah.bytes, index: 0 },
      { kind: 'text', lines: letterLines(2) },
      { kind: 'text', lines: letterLines(3) },
    ],
    (index) => ({ dpi: 150, angle: index % 2 ? -2.5 : 2, noise: 0.01, seed: index + 1 }),
  );

  await app.go('import');
  await app.import.pick([{ name: 'pindaian-budi.pdf', mimeType: 'application/pdf', buffer: Buffer.from(stack) }]);
  await expect(app.import.imported).toContainText('pindaian-budi.pdf [1/2]');
  await expect(app.import.imported).toContainText('pindaian-budi.pdf [2/2]');

  await app.go('employees');
  // The folder left open before the import is what the view shows again; reopen it fresh.
  await page.getByRole('button', { name: 'Kembali ke daftar pegawai' }).click();
  await app.employees.search.fill('budi');
  await app.employees.list.getByRole('button', { name: NIP }).click();
  await expect(app.employees.folder.getByTestId('folder-doc')).toHaveCount(2);
  await expect(app.employees.folder.locator('.folder-group h3').filter({ hasText: 'Daftar Riwayat Hidup' })).toBeVisible();
  await expect(app.employees.folder.locator('.folder-group h3').filter({ hasText: 'Ijazah' })).toBeVisible();
  // A DRH asks for nothing more, so it counts as held at once; the Ijazah still needs its fields.
  await expect(app.completeness.item('DRH')).toHaveAttribute('data-status', 'held');
  await expect(app.completeness.item('IJAZAH')).toHaveAttribute('data-status', 'missing');
});

test('an admin turns separator sheets on in Settings (off in a new profile), and the choice stays after a reload', async ({ app, page }) => {
  await app.go('settings');
  const box = page.getByTestId('settings-separator-sheets');
  await expect(box).not.toBeChecked();
  await box.click();
  await expect(box).toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'Pengaturan tersimpan' })).toBeVisible();
  await page.reload();
  await app.click('settings');
  await expect(page.getByTestId('settings-separator-sheets')).toBeChecked();
});

test('a stack whose sheets were printed on another workstation splits when the clerk ticks the box on import', async ({ app, page }) => {
  test.setTimeout(120_000);
  const sheet = (typeCode: string) => ({ kind: 'sheet' as const, spec: { nip: NIP, typeCode, nama: 'Budi Santoso', typeName: typeCode } });
  const stack = await feederStackPdf(
    [sheet('DRH'), { kind: 'text', lines: letterLines(4) }, sheet('SKP'), { kind: 'text', lines: letterLines(5) }],
    (index) => ({ dpi: 150, angle: index % 2 ? 1.5 : -2, noise: 0.01, seed: index + 7 }),
  );
  await app.go('import');
  // Nothing was printed here: the office's setting leaves sheets unsearched.
  const box = page.getByTestId('import-separator-sheets');
  await expect(box).not.toBeChecked();
  await box.focus();
  await page.keyboard.press('Space');
  await expect(box).toBeChecked();
  await app.import.pick([{ name: 'dari-ruang-scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(stack) }]);
  await expect(app.import.imported).toContainText('dari-ruang-scan.pdf [1/2]');
  await expect(app.import.imported).toContainText('dari-ruang-scan.pdf [2/2]');
  // One batch only: the setting is the admin's, and stays off.
  await app.go('settings');
  await expect(page.getByTestId('settings-separator-sheets')).not.toBeChecked();
});
