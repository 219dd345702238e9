// The size budget in the viewer (issue 6): a generated 300-dpi scan over its budget shows
// the warning and "Optimalkan"; the optimized version appears beside the original, each
// with its page rendered and its size; accepting makes it the document's content.
import { generatedScanPdf } from '../../bench/optimize';
import { expect, test } from './fixtures';
import { OptimizePage } from './pages/optimize';

test('an over-budget scan is compared side by side with both sizes, and accept applies', async ({ app, page }) => {
  test.setTimeout(180_000);
  const scan = await generatedScanPdf(['text', 'text'], 300, 3);
  await app.go('import');
  await app.import.pick([{ name: 'map-besar.pdf', mimeType: 'application/pdf', buffer: Buffer.from(scan.pdf) }]);
  await app.import.imported.getByRole('button', { name: 'map-besar.pdf' }).click();
  await expect(app.viewer.root).toBeVisible();

  const optimize = new OptimizePage(page);
  await expect(optimize.warning).toHaveText(/^Ukuran [\d,]+ MB melebihi batas 1 MB untuk jenis dokumen ini\.$/);
  const sizeBefore = /Ukuran ([\d,]+ MB)/.exec((await optimize.warning.textContent())!)![1];
  await optimize.button('Optimalkan').click();
  // Progress per page from the optimizer's worker thread (optimize.onDidProgress).
  await expect(optimize.root.getByRole('button', { name: 'Mengoptimalkan… halaman 1 dari 2' })).toBeVisible({ timeout: 90_000 });

  await expect(optimize.compare).toBeVisible({ timeout: 90_000 });
  await expect(optimize.originalSize).toHaveText(`Asli · ${sizeBefore}`);
  await expect(optimize.optimizedSize).toHaveText(/^Hasil optimasi · [\d,]+ KB$/);
  await expect(optimize.compare).toContainText('Di bawah batas 1 MB.');
  await expect(optimize.originalImage).toBeVisible({ timeout: 30_000 });
  await expect(optimize.optimizedImage).toBeVisible();
  expect(await OptimizePage.loaded(optimize.originalImage)).toBe(true);
  expect(await OptimizePage.loaded(optimize.optimizedImage)).toBe(true);
  await expect(optimize.compare).toContainText('Halaman 1 dari 2');
  await optimize.button('Halaman berikutnya').click();
  await expect(optimize.compare).toContainText('Halaman 2 dari 2');
  await expect(optimize.optimizedImage).toBeVisible({ timeout: 30_000 });
  const sizeAfter = /· ([\d,]+ KB)/.exec((await optimize.optimizedSize.textContent())!)![1];

  await optimize.button('Terima hasil optimasi').click();
  await expect(optimize.root.getByText('Hasil optimasi dipakai. Berkas asli disimpan sampai dokumen terverifikasi di server.')).toBeVisible({ timeout: 30_000 });
  await expect(optimize.compare).toBeHidden();
  await expect(optimize.warning).toBeHidden();
  // The viewer's file line now shows the optimized size, and the page still paints.
  await expect(optimize.root.locator('.facts')).toContainText(`map-besar.pdf · ${sizeAfter}`);
  await app.viewer.waitPainted();
});
