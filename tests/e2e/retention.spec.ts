// Retention: the admin records that an employee became Punah years ago, draws up the
// Daftar Arsip Usul Musnah, rejects a first list (it stays listed as Ditolak with the reason,
// who and when, and can be filtered), approves and destroys the next one, and downloads the
// Berita Acara Pemusnahan, then writes the Berita Acara Alih Media of a batch named by NIP,
// all in the Penyusutan view and mostly from the keyboard.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, hostCall as post, test } from './fixtures';
import { RetentionPage } from './pages/retention';
import { ADMIN, makePdf, NIP } from './support';

/** A well-formed NIP of nobody: neither in the employee list nor on a document. */
const UNKNOWN_NIP = '197712122003122002';

test('the admin destroys a Punah employee\u2019s file, downloads the Berita Acara Pemusnahan and writes a batch\u2019s Berita Acara Alih Media', async ({ app, host, page }) => {
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
  // The rejected list keeps its record: state, reason, who and when.
  const rejected = retention.proposalRow('DAUM/001/');
  await expect(rejected.getByTestId('retention-proposal-state')).toHaveText('Ditolak');
  await expect(rejected.getByTestId('retention-proposal-remark')).toContainText('Belum dinilai panitia');
  await expect(rejected.getByTestId('retention-proposal-remark')).toContainText(ADMIN.nip);
  await expect(rejected.getByTestId('retention-proposal-remark')).toContainText(/\d{4}/);
  // Opened again from the keyboard, it shows what was rejected, and no step can be taken.
  await rejected.getByRole('button', { name: /DAUM\/001\// }).focus();
  await page.keyboard.press('Enter');
  await expect(retention.detail.getByTestId('retention-detail-rejected')).toContainText('Belum dinilai panitia');
  await expect(retention.detail).toContainText(NIP);
  await expect(page.getByTestId('retention-approve')).toHaveCount(0);

  await retention.press('retention-propose-musnah');
  await expect(retention.detail).toContainText(NIP);
  await expect(retention.detail).toContainText('SK PNS');
  await expect(retention.detail).toContainText('DAUM/002/');
  await page.getByTestId('retention-note').fill('Sesuai JRA');
  await retention.press('retention-approve');
  await expect(retention.proposalRow('DAUM/002/').getByTestId('retention-proposal-state')).toHaveText('Disetujui');

  // The list goes on paper to be signed: exported from the keyboard as a PDF.
  const exporting = page.waitForEvent('download');
  await retention.press('retention-export-pdf');
  const exported = await exporting;
  expect(exported.suggestedFilename()).toMatch(/^daftar-arsip-usul-musnah-DAUM-002-\d{4}\.pdf$/);

  await page.getByTestId('retention-agency').fill('BKD Kota Contoh');
  await page.getByTestId('retention-place').fill('Kota Contoh');
  await page.getByTestId('retention-place').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'dimusnahkan' })).toBeVisible();
  await expect(retention.proposalRow('DAUM/002/').getByTestId('retention-proposal-state')).toHaveText('Dimusnahkan');
  await expect(retention.phase('musnah')).toHaveText('1');

  // Filtered like the other states: only the rejected list, then every list again.
  await retention.filterProposals('ditolak');
  await expect(retention.proposals.getByTestId('retention-proposal-row')).toHaveCount(1);
  await expect(retention.proposals.getByTestId('retention-proposal-state')).toHaveText('Ditolak');
  await retention.filterProposals('diserahkan');
  await expect(retention.view).toContainText('Tidak ada usulan berstatus Diserahkan.');
  await retention.filterProposals('');
  await expect(retention.proposals.getByTestId('retention-proposal-row')).toHaveCount(2);

  // A type that joins the personal file has no years of its own: the schedule says so and offers none.
  const skPns = page.getByTestId('retention-jra-SK_PNS');
  await expect(skPns).toContainText('Mengikuti berkas perseorangan');
  await skPns.getByRole('button', { name: 'Ubah' }).focus();
  await page.keyboard.press('Enter');
  await expect(skPns.getByTestId('retention-jra-follows')).toContainText('tidak punya masa aktif dan inaktif sendiri');
  await expect(skPns.getByRole('spinbutton')).toHaveCount(0);
  await skPns.getByRole('combobox').selectOption('musnah');
  await expect(skPns.getByRole('spinbutton')).toHaveCount(2);
  await skPns.getByRole('button', { name: 'Batal' }).click();

  const { download, bytes } = await retention.download(retention.proposals.getByTestId('retention-proposal-download'));
  expect(download.suggestedFilename()).toMatch(/^berita-acara-pemusnahan-BAPA-001-\d{4}\.pdf$/);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

  // The Berita Acara Alih Media of a batch named by NIP: an unknown NIP is refused by name; the batch's folder gets its record.
  const rescan = join(host.dataDir, 'drh-budi.pdf');
  await writeFile(rescan, (await makePdf('drh-budi.pdf', ['DRH Budi'])).buffer);
  await post(host.origin, host.token, 'capture.import', { files: [{ path: rescan }], nip: NIP, typeCode: 'DRH' });
  const day = new Date();
  const today = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
  const alih = page.getByTestId('retention-alih-form');
  await alih.getByLabel('Dari tanggal').fill(today);
  await alih.getByLabel('Sampai tanggal').fill(today);
  await alih.getByLabel('Nama instansi').fill('BKD Kota Contoh');
  await alih.getByLabel('Tempat').fill('Kota Contoh');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('retention-alih-nips')).toBeFocused();
  await page.keyboard.type(`${NIP},\n${UNKNOWN_NIP}`);
  await retention.press('retention-alih-submit');
  await expect(page.getByRole('alert')).toContainText(UNKNOWN_NIP);
  await page.getByTestId('retention-alih-nips').fill(NIP);
  const writing = page.waitForEvent('download');
  await retention.press('retention-alih-submit');
  expect((await writing).suggestedFilename()).toMatch(/^berita-acara-alih-media-BAAM-001-\d{4}\.pdf$/);
  await expect(page.getByRole('status').filter({ hasText: 'Berita Acara Alih Media BAAM/001/' })).toBeVisible();
});
