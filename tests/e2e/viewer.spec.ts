// The viewer paints PDF pages with pdf.js (worker, WebAssembly and fonts all served locally)
// and moves, rotates and zooms by keyboard.
import { expect, test } from './fixtures';
import { ViewerPage } from './pages/viewer';
import { makePdf, NIP } from './support';

test('the preview paints a non-blank page and the viewer navigates, rotates and zooms', async ({ app, page }) => {
  const failedRequests: string[] = [];
  page.on('requestfailed', (request) => failedRequests.push(request.url()));
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
  });

  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SURAT KEPUTUSAN', 'KEPALA BADAN KEPEGAWAIAN'], 2)]);
  await app.import.imported.getByRole('button', { name: `${NIP}_SK_PNS.pdf` }).click();

  await expect(app.viewer.root).toBeVisible();
  await app.viewer.waitPainted();
  expect(await ViewerPage.inkedPixels(app.viewer.canvas)).toBeGreaterThan(100);
  await expect(app.viewer.thumbs).toHaveCount(2);
  await expect(app.viewer.root.getByTestId('pdf-page-count')).toHaveText('dari 2');

  await page.keyboard.press('PageDown');
  await expect(app.viewer.pageInput).toHaveValue('2');
  await app.viewer.waitPainted();
  expect(await ViewerPage.inkedPixels(app.viewer.canvas)).toBeGreaterThan(100);

  const before = await app.viewer.canvas.evaluate((c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height }));
  await page.keyboard.press('r');
  await expect(app.viewer.canvas).toHaveAttribute('data-rotation', '90');
  await app.viewer.waitPainted();
  const rotated = await app.viewer.canvas.evaluate((c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height }));
  // Fit to width: a portrait page turned sideways is wider than tall.
  expect(rotated.w).toBeGreaterThan(rotated.h);
  expect(before.h).toBeGreaterThan(before.w);

  const zoom = await app.viewer.root.getByTestId('pdf-zoom').textContent();
  await page.keyboard.press('-');
  await expect(app.viewer.root.getByTestId('pdf-zoom')).not.toHaveText(zoom!);

  await page.keyboard.press('Escape');
  await expect(app.viewer.root).toBeHidden();
  expect(failedRequests).toEqual([]);
});
