// Search finds a labelled document by NIP and by decree number as the clerk types, and
// opens it in the viewer from the keyboard.
import { expect, test } from './fixtures';
import { makePdf, NIP } from './support';

test('search finds the document by NIP and by nomor, and Enter opens the viewer', async ({ app, page }) => {
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SURAT KEPUTUSAN']), await makePdf('lain.pdf', ['Dokumen lain'])]);
  await app.go('label');
  await expect(app.label.nip).toHaveValue(NIP);
  await app.label.field('nomor').fill('821.13/456/BKPSDM/2016');
  await app.label.field('tanggal').fill('2016-02-01');
  await app.label.field('tmt').fill('2016-03-01');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Status: Siap' })).toBeVisible();

  await app.go('search');
  await expect(app.search.input).toBeFocused();
  await expect(app.search.total).toHaveText('2 dokumen');

  await app.search.query(NIP);
  await expect(app.search.hits).toHaveCount(1);
  await expect(app.search.total).toHaveText('1 dokumen');
  await expect(app.search.hits.first()).toContainText('SK PNS');

  await app.search.query('456/BKPSDM');
  await expect(app.search.hits).toHaveCount(1);
  await expect(app.search.hits.first()).toContainText('821.13/456/BKPSDM/2016');

  await app.search.query('tidakadadokumenseperti ini');
  await expect(app.search.hits).toHaveCount(0);
  await expect(page.getByText('Tidak ada dokumen yang cocok.')).toBeVisible();

  await app.search.query('821.13');
  await expect(app.search.hits).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(app.viewer.root).toBeVisible();
  await expect(app.viewer.root.getByRole('heading', { name: 'SK PNS' })).toBeVisible();
  await app.viewer.waitPainted();
  await page.keyboard.press('Escape');
  await expect(app.viewer.root).toBeHidden();

  // "/" brings the clerk back to the box from anywhere in the view.
  await app.search.results.focus();
  await page.keyboard.press('/');
  await expect(app.search.input).toBeFocused();
});

test('filters narrow the results by state', async ({ app }) => {
  await app.go('import');
  await app.import.pick([await makePdf('a.pdf', ['A']), await makePdf('b.pdf', ['B'])]);
  await app.go('search');
  await expect(app.search.total).toHaveText('2 dokumen');
  await app.page.getByTestId('search-state').selectOption('ready');
  await expect(app.search.total).toHaveText('0 dokumen');
  await app.page.getByTestId('search-state').selectOption('draft');
  await expect(app.search.hits).toHaveCount(2);
});

test('a long result list is virtualised and loads its next page on scroll', async ({ app, host, page }) => {
  // Seeded through the host's own HTTP routes (staging + capture.import): the UI import is
  // tested elsewhere, and 130 picks would only slow this down.
  const auth = { Authorization: `Bearer ${host.token}` };
  const files = [];
  for (let n = 1; n <= 130; n++) {
    const pdf = await makePdf(`arsip-${String(n).padStart(3, '0')}.pdf`, [`Arsip ${n}`]);
    const staged = await page.request.put(`${host.origin}/api/staging?name=${pdf.name}`, { headers: auth, data: pdf.buffer });
    files.push({ stagedId: ((await staged.json()) as { value: { stagedId: string } }).value.stagedId, name: pdf.name });
  }
  const imported = await page.request.post(`${host.origin}/api/call/capture.import`, { headers: auth, data: { files } });
  expect(((await imported.json()) as { value: { imported: unknown[] } }).value.imported).toHaveLength(130);

  await app.go('import');
  await app.go('search');
  await expect(app.search.total).toHaveText('130 dokumen');
  // Newest first; only the rows in view (plus a margin) exist in the page.
  await expect(app.search.hits.first()).toContainText('arsip-130.pdf');
  expect(await app.search.hits.count()).toBeLessThan(40);

  // End goes to the last row loaded (the 100th); reaching it loads the next page, so the
  // next End gets to the true end.
  await app.search.results.focus();
  await page.keyboard.press('End');
  await expect(app.search.hits.filter({ hasText: 'arsip-031.pdf' })).toBeVisible();
  await expect(async () => {
    await page.keyboard.press('End');
    await expect(app.search.hits.filter({ hasText: 'arsip-001.pdf' })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(page.locator('[role="option"][aria-selected="true"]')).toContainText('arsip-001.pdf');
  await page.keyboard.press('Enter');
  await expect(app.viewer.root).toBeVisible();
  await expect(app.viewer.root).toContainText('arsip-001.pdf');

  // Back from the viewer, the list is where the clerk left it.
  await page.keyboard.press('Escape');
  await expect(app.viewer.root).toBeHidden();
  await expect(app.search.results).toBeFocused();
  await expect(page.locator('[role="option"][aria-selected="true"]')).toContainText('arsip-001.pdf');
  await expect(app.search.hits.filter({ hasText: 'arsip-001.pdf' })).toBeVisible();
});
