// Page tools in the viewer (issue 6) by keyboard: Alt+R turns the page shown and saves it
// (the page is painted landscape from the new file), Delete asks and removes the page (the
// page count and the thumbnail strip shrink). A scan under 150 dpi is flagged, and Alt+G
// merges another document behind the one shown.
import { scanPdf } from '../fixtures/scans';
import { expect, test } from './fixtures';
import { PageToolsPage } from './pages/page-tools';
import { makePdf, NIP } from './support';

test('rotates and deletes a page with the keyboard; the page count and thumbnails follow', async ({ app, page }) => {
  const tools = new PageToolsPage(page);
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_DRH.pdf`, ['DAFTAR RIWAYAT HIDUP'], 3)]);
  await app.import.imported.getByRole('button', { name: `${NIP}_DRH.pdf` }).click();

  await expect(app.viewer.root).toBeVisible();
  await app.viewer.waitPainted();
  await expect(app.viewer.thumbs).toHaveCount(3);
  await expect(tools.pageCount).toHaveText('dari 3');
  await expect(tools.root).toContainText('Alt');

  await page.keyboard.press('PageDown');
  await expect(app.viewer.pageInput).toHaveValue('2');
  await app.viewer.waitPainted();
  const before = await PageToolsPage.canvasShape(app.viewer.canvas);
  expect(before.h).toBeGreaterThan(before.w);

  await page.keyboard.press('Alt+r');
  // Saved, reopened on the same page; the view's own rotation is back to none.
  await expect(app.viewer.canvas).toHaveAttribute('data-rotation', '0');
  await expect(app.viewer.pageInput).toHaveValue('2');
  await expect
    .poll(async () => {
      const shape = await PageToolsPage.canvasShape(app.viewer.canvas);
      return shape.w > shape.h;
    })
    .toBe(true);

  await page.keyboard.press('Delete');
  await expect(tools.confirm).toBeVisible();
  await expect(tools.confirm).toContainText('Hapus halaman 2');
  await page.keyboard.press('Enter');
  await expect(tools.confirm).toBeHidden();
  await expect(tools.pageCount).toHaveText('dari 2');
  await expect(app.viewer.thumbs).toHaveCount(2);
  await expect(tools.root).toContainText('1 halaman dihapus');
  await app.viewer.waitPainted();
  // The rotated page is gone: what is shown now is portrait again.
  const after = await PageToolsPage.canvasShape(app.viewer.canvas);
  expect(after.h).toBeGreaterThan(after.w);

  // Escape on the question keeps the page and the viewer.
  await page.keyboard.press('Delete');
  await expect(tools.confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tools.confirm).toBeHidden();
  await expect(app.viewer.root).toBeVisible();
  await expect(tools.pageCount).toHaveText('dari 2');
});

/** One scanned page at `dpi`, as the file picker hands it over. */
async function scanned(name: string, dpi: number) {
  return { name, mimeType: 'application/pdf', buffer: Buffer.from((await scanPdf([dpi])).pdf) };
}

test('warns of a page under 150 dpi and merges another document behind it with the keyboard', async ({ app, page }) => {
  const tools = new PageToolsPage(page);
  await app.go('import');
  await app.import.pick([await scanned('pernyataan-100dpi.pdf', 100), await makePdf('lampiran.pdf', ['LAMPIRAN'], 2)]);
  await app.import.imported.getByRole('button', { name: 'pernyataan-100dpi.pdf' }).click();
  await app.viewer.waitPainted();
  await expect(tools.lowDpiWarning).toContainText('Halaman 1 dipindai di bawah 150 dpi (terendah 100 dpi)');

  await page.keyboard.press('Alt+g');
  await expect(tools.merge).toBeVisible();
  await tools.merge.getByRole('checkbox', { name: /lampiran\.pdf/ }).focus();
  await page.keyboard.press('Space');
  await tools.mergeYes.focus();
  await page.keyboard.press('Enter');
  await expect(tools.pageCount).toHaveText('dari 3');
  await expect(app.viewer.thumbs).toHaveCount(3);
  await expect(tools.root).toContainText('1 dokumen digabung; sekarang 3 halaman');
});
