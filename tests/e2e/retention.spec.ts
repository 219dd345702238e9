// Retention: the admin records that an employee became Punah years ago, draws up the
// Daftar Arsip Usul Musnah, approves and destroys it, and downloads the Berita Acara
// Pemusnahan, all in the Penyusutan view and mostly from the keyboard.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, hostCall as post, test } from './fixtures';
import { RetentionPage } from './pages/retention';
import { makePdf, NIP } from './support';

test('the admin destroys a Punah employee\u2019s file and downloads the Berita Acara Pemusnahan', async ({ app, host, page }) => {
  const list = join(host.dataDir, 'pegawai.csv');
  await writeFile(list, ['NIP;Nama;Unit Kerja', `${NIP};Budi Santoso;Bidang Mutasi`].join('\n'));
  await post(host.origin, host.token, 'employees.import', { file: { path: list } });
  const scan = join(host.dataDir, 'sk-pns-budi.pdf');
  await writeFile(scan, (await makePdf('sk-pns-budi.pdf', ['SK PNS Budi'])).buffer);
  await post(host.origin, host.token, 'capture.import', { files: [{ path: scan }], nip: NIP, typeCode: 'SK_PNS' });

  const retention = new RetentionPage(app.page);
  await retention.open();
  await expect(retention.view).toContainText('nilai bawaan');
  await expect(retention.phase('aktif')).toHaveText('1');

  // Punah since 2020: a year inactive has long passed.
  await retention.recordStatus(NIP, '67', '2020-01-01');
  await expect(page.getByTestId('retention-files')).toContainText('Budi Santoso');
  await expect(retention.phase('usul_musnah')).toHaveText('1');

  // Retention edges (issue 7): a first list is rejected with a reason; its archive goes back to usul musnah.
  await retention.press('retention-propose-musnah');
  await expect(retention.detail).toContainText(NIP);
  await page.getByTestId('retention-note').fill('Belum dinilai panitia');
  await retention.press('retention-reject');
  await expect(page.getByRole('status').filter({ hasText: 'ditolak' })).toBeVisible();
  await expect(retention.detail).toBeHidden();
  await expect(retention.phase('usul_musnah')).toHaveText('1');

  await retention.press('retention-propose-musnah');
  await expect(retention.detail).toContainText(NIP);
  await expect(retention.detail).toContainText('SK PNS');
  await expect(retention.detail).toContainText('DAUM/002/');
  await page.getByTestId('retention-note').fill('Sesuai JRA');
  await retention.press('retention-approve');
  await expect(retention.proposals.getByTestId('retention-proposal-state')).toHaveText('Disetujui');

  await page.getByTestId('retention-agency').fill('BKD Kota Contoh');
  await page.getByTestId('retention-place').fill('Kota Contoh');
  await page.getByTestId('retention-place').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'dimusnahkan' })).toBeVisible();
  await expect(retention.proposals.getByTestId('retention-proposal-state')).toHaveText('Dimusnahkan');
  await expect(retention.phase('musnah')).toHaveText('1');

  const { download, bytes } = await retention.download(retention.proposals.getByTestId('retention-proposal-download'));
  expect(download.suggestedFilename()).toMatch(/^berita-acara-pemusnahan-BAPA-001-\d{4}\.pdf$/);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
});
