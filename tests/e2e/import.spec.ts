// Importing through the UI: a scan named by NIP and type lands in the report with its guess;
// bad files fail one by one with their own reason while good ones go in; a second copy of a
// stored file is reported as a duplicate that leads to the stored one.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { makePdf, NIP, textFile } from './support';

test('a picked PDF is imported and reported with the NIP and type read from its name', async ({ app }) => {
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SURAT KEPUTUSAN', 'Nomor 800/123/BKD/2015'])]);

  await expect(app.import.report).toContainText('1 diimpor, 0 sudah ada, 0 gagal');
  const row = app.import.imported.locator('li').filter({ hasText: `${NIP}_SK_PNS.pdf` });
  await expect(row).toContainText(NIP);
  await expect(row).toContainText('SK PNS');
  await expect(app.import.failed).toHaveCount(0);
});

test('bad files show their own error while the good one imports', async ({ app }) => {
  await app.go('import');
  await app.import.pick([
    textFile('kosong.pdf', ''),
    textFile('surat.pdf', 'ini hanya teks biasa, bukan PDF\n'),
    await makePdf(`${NIP}_SPMT.pdf`, ['SPMT']),
  ]);

  await expect(app.import.report).toContainText('1 diimpor, 0 sudah ada, 2 gagal');
  await expect(app.import.imported).toContainText(`${NIP}_SPMT.pdf`);
  await expect(app.import.failure('kosong.pdf')).toContainText('Berkas kosong (0 byte)');
  await expect(app.import.failure('kosong.pdf')).toHaveAttribute('data-code', 'empty');
  await expect(app.import.failure('surat.pdf')).toContainText('Berkas bernama .pdf tetapi isinya bukan PDF');
  await expect(app.import.failure('surat.pdf')).toHaveAttribute('data-code', 'not_pdf');
});

test('importing the same content again points at the stored document', async ({ app }) => {
  const pdf = await makePdf(`${NIP}_SK_CPNS.pdf`, ['SK CPNS']);
  await app.go('import');
  await app.import.pick([pdf]);
  await expect(app.import.report).toContainText('1 diimpor');

  await app.import.pick([{ ...pdf, name: 'salinan.pdf' }]);
  await expect(app.import.report).toContainText('0 diimpor, 1 sudah ada, 0 gagal');
  const duplicate = app.import.duplicates.locator('li').filter({ hasText: 'salinan.pdf' });
  await expect(duplicate).toContainText(`${NIP}_SK_CPNS.pdf`);
  await duplicate.getByRole('button', { name: /#1/ }).click();
  await expect(app.viewer.root).toBeVisible();
  await app.viewer.waitPainted();
});

test('a picked folder is imported with its subfolders, skipping the files the OS leaves there', async ({ app }) => {
  const dir = await mkdtemp(join(tmpdir(), 'lemari-scan-'));
  try {
    await mkdir(join(dir, 'map-2'));
    await writeFile(join(dir, `${NIP}_DRH.pdf`), (await makePdf('drh.pdf', ['DRH'])).buffer);
    await writeFile(join(dir, 'map-2', `${NIP}_SPMT.pdf`), (await makePdf('spmt.pdf', ['SPMT'])).buffer);
    await writeFile(join(dir, 'Thumbs.db'), 'windows thumbnail cache');
    await app.go('import');
    await app.page.getByTestId('import-folder').setInputFiles(dir);
    await expect(app.import.report).toContainText('2 diimpor, 0 sudah ada, 0 gagal');
    await expect(app.import.imported).toContainText(`${NIP}_DRH.pdf`);
    await expect(app.import.imported).toContainText(`${NIP}_SPMT.pdf`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('files dropped on the zone are imported', async ({ app, page }) => {
  await app.go('import');
  const pdf = await makePdf(`${NIP}_SK_CPNS.pdf`, ['SK CPNS']);
  const transfer = await page.evaluateHandle(({ name, bytes }) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/pdf' }));
    return data;
  }, { name: pdf.name, bytes: [...pdf.buffer] });
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(app.import.report).toContainText('1 diimpor');
  await expect(app.import.imported).toContainText(pdf.name);
});

test('a batch shows its upload and processing progress while it runs', async ({ app, page }) => {
  const files = await Promise.all(Array.from({ length: 20 }, (_, n) => makePdf(`scan-${n + 1}.pdf`, [`Scan ${n + 1}`])));
  await app.go('import');
  // Record every progress line the page ever shows; the batch may finish quickly.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const box = document.querySelector('[data-testid="import-progress"]');
      const text = box && `${box.querySelector('strong')?.textContent} ${box.querySelector('.progress-text')?.textContent}`;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await app.import.pick(files);
  await expect(app.import.report).toContainText('20 diimpor, 0 sudah ada, 0 gagal');
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  // Uploading is the browser's own count; processing comes from main over the event stream.
  expect(seen.some((line) => /^Mengunggah… .* dari 20 berkas/.test(line))).toBe(true);
  expect(seen.some((line) => /^Memproses… .* dari 20 berkas/.test(line))).toBe(true);
  await expect(page.getByTestId('import-progress')).toBeHidden();
});
