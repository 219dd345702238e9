// OCR in the labelling form (issue 6): a scanned SK (a small generated image, read by the
// real background OCR of the browser host) shows its NIP as a proposal beside the empty NIP
// field; nothing is filled until the clerk presses Enter, and the next Enter moves on.
import { renderSkPage } from '../../main/infra/ocr/sk-sample';
import { expect, test } from './fixtures';

const SAMPLE = { nip: '198503122010011004', nomor: '823.3/1234/BKD/2016', tanggal: '2016-03-12', tmt: '2016-04-01', nama: 'Budi Santoso' };

test('the NIP read from the scan is proposed and Enter accepts it', async ({ app, page }) => {
  // The top of the page, down to the NIP line: one quick page for tesseract.
  const png = renderSkPage(SAMPLE, { lines: 10 });
  await app.go('import');
  await app.import.pick([{ name: 'pindaian-001.png', mimeType: 'image/png', buffer: png }]);

  await app.go('label');
  await expect(app.label.nip).toBeFocused();
  await expect(app.label.nip).toHaveValue('');
  const proposal = page.getByTestId('ocr-proposal-nip');
  await expect(proposal).toContainText(SAMPLE.nip, { timeout: 45_000 });
  // Shown, not filled.
  await expect(app.label.nip).toHaveValue('');

  await app.label.nip.focus();
  await page.keyboard.press('Enter');
  await expect(app.label.nip).toHaveValue(SAMPLE.nip);
  await expect(app.label.nip).toBeFocused();
  await expect(proposal).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(app.label.type).toBeFocused();
});

test('the nomor, tanggal and TMT read from an SK are proposed beside their fields, and Enter takes each', async ({ app, page }) => {
  test.setTimeout(150_000);
  // Down to "pada tanggal ...": nomor, TMT and tanggal SK are on the page.
  const png = renderSkPage(SAMPLE, { lines: 14 });
  await app.go('import');
  await app.import.pick([{ name: 'pindaian-002.png', mimeType: 'image/png', buffer: png }]);

  await app.go('label');
  await app.label.type.selectOption('SK_PANGKAT');
  for (const [key, value] of [
    ['nomor', SAMPLE.nomor],
    ['tmt', SAMPLE.tmt],
    ['tanggal', SAMPLE.tanggal],
  ] as const) {
    const field = app.label.field(key);
    await expect(page.getByTestId(`ocr-proposal-${key}`)).toBeVisible({ timeout: 90_000 });
    await expect(field).toHaveValue('');
    await field.focus();
    await page.keyboard.press('Enter');
    await expect(field).toHaveValue(value);
    await expect(page.getByTestId(`ocr-proposal-${key}`)).toBeHidden();
  }
});
