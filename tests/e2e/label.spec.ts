// The labelling loop by keyboard only: focus starts on the pre-filled NIP, the type is
// pre-selected from the file name, the required fields are typed, Ctrl+Enter saves and the
// document becomes ready. Missing fields are named before anything is sent.
import { expect, test } from './fixtures';
import { makePdf, NIP } from './support';

test('a document is labelled with the keyboard only and becomes ready', async ({ app, page }) => {
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SURAT KEPUTUSAN'])]);

  await app.go('label');
  await expect(app.label.nip).toBeFocused();
  await expect(app.label.nip).toHaveValue(NIP);
  await expect(app.label.type).toHaveValue('SK_PNS');
  // No employee list yet: a warning, not a block.
  await expect(app.label.unknownNip).toBeVisible();
  await expect(app.label.preview).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });

  await page.keyboard.press('Tab'); // type
  await page.keyboard.press('Tab'); // nomor
  await expect(app.label.field('nomor')).toBeFocused();
  await page.keyboard.type('800/123/BKD/2015');
  await page.keyboard.press('Enter'); // Enter moves on to the next field
  await expect(app.label.field('tanggal')).toBeFocused();
  await page.keyboard.type('01-03-2015'); // typed as read; stored as ISO
  await page.keyboard.press('Tab');
  await expect(app.label.field('tanggal')).toHaveValue('2015-03-01');
  await page.keyboard.type('2015-03-01');
  await page.keyboard.press('Control+Enter');

  await expect(page.getByRole('status').filter({ hasText: 'Status: Siap' })).toBeVisible();
  await expect(app.label.empty).toBeVisible();

  await app.go('search');
  await app.search.query(NIP);
  await expect(app.search.hits).toHaveCount(1);
  await expect(app.search.hits.first()).toContainText('Siap');
  await expect(app.search.hits.first()).toContainText('800/123/BKD/2015');
});

test('saving with a required field missing names the field and keeps the document', async ({ app, page }) => {
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SURAT KEPUTUSAN'])]);
  await app.go('label');
  await expect(app.label.nip).toBeFocused();

  await page.keyboard.press('Control+Enter');
  await expect(app.label.error('nomor')).toHaveText('Nomor wajib diisi');
  await expect(app.label.error('tanggal')).toHaveText('Tanggal wajib diisi');
  await expect(app.label.field('nomor')).toBeFocused();

  await page.keyboard.press('Alt+N');
  await expect(app.label.nip).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('199013012015031001');
  await expect(page.locator('#label-error-nip')).toHaveText('Tanggal lahir dalam NIP (19901301) bukan tanggal yang ada');
  await expect(app.label.position).toContainText('Dokumen 1 dari 1');
});

test('after a save, focus is on the NIP of the next document', async ({ app, page }) => {
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SKP_2023.pdf`, ['SKP 2023']), await makePdf(`${NIP}_DRH.pdf`, ['DRH'])]);
  await app.go('label');
  await expect(app.label.position).toContainText('Dokumen 1 dari 2');
  await expect(app.label.type).toHaveValue('SKP');
  await page.keyboard.press('Alt+ArrowRight');
  await expect(app.label.type).toHaveValue('DRH');
  await page.keyboard.press('PageUp');
  await expect(app.label.type).toHaveValue('SKP');

  await expect(app.label.nip).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(app.label.field('tahun')).toBeFocused();
  await page.keyboard.type('2023');
  await page.keyboard.press('Control+Enter');

  await expect(app.label.position).toContainText('Dokumen 1 dari 1');
  await expect(app.label.type).toHaveValue('DRH');
  await expect(app.label.nip).toBeFocused();

  // Enter walks the fields (NIP, type, tanggal, notes) and saves in the last one.
  await page.keyboard.press('Enter');
  await expect(app.label.type).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.label.field('tanggal')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('label-notes')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.label.empty).toBeVisible();
});

test('a save pressed while the next document loads never gives it the last one\u2019s NIP', async ({ app, page }) => {
  const OTHER = '199202022016032002';
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_DRH.pdf`, ['DRH Budi']), await makePdf(`${OTHER}_DRH.pdf`, ['DRH Dewi'])]);
  await app.go('label');
  await expect(app.label.position).toContainText('Dokumen 1 dari 2');
  await expect(app.label.nip).toHaveValue(NIP);
  // The next document's details arrive late, as on a busy machine.
  let gate: () => void = () => {};
  const held = new Promise<void>((resolve) => (gate = resolve));
  await page.route('**/api/call/documents.get', async (route) => {
    await held;
    await route.continue();
  });
  await page.keyboard.press('Control+Enter');
  await expect(app.label.position).toContainText('Dokumen 1 dari 1');
  // Ctrl+Enter again before the document has loaded: nothing may be saved under its id.
  await page.keyboard.press('Control+Enter');
  gate();
  await expect(app.label.nip).toHaveValue(OTHER);
  await page.unroute('**/api/call/documents.get');
  await page.keyboard.press('Control+Enter');
  await expect(app.label.empty).toBeVisible();
  const labels = await page.evaluate(async () => {
    const response = await fetch('/api/call/documents.list', { method: 'POST', body: JSON.stringify({ limit: 10 }), headers: { 'content-type': 'application/json' } });
    return ((await response.json()) as { value: { items: { originalName: string; nip: string | null }[] } }).value.items.map((doc) => [doc.originalName, doc.nip]);
  });
  expect(labels.sort()).toEqual([
    [`${NIP}_DRH.pdf`, NIP],
    [`${OTHER}_DRH.pdf`, OTHER],
  ]);
});
