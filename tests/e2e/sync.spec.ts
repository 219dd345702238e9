// A rejected document's reason reaches the clerk's screen (issue 5), in Chromium against a
// real central server (`lemari-server` as a child process, tests/e2e/central-server.ts). The
// account is activated online through the UI; a script logs in to the server's API as that
// admin and puts one employee on the instansi's list. Two documents are imported and
// labelled: one for that employee, one for a NIP the server does not know. "Sinkronkan
// sekarang" sends the first and the server refuses the second: it is listed under "Belum
// terkirim" with the server's reason. Once the employee is added on the server, "Kirim
// ulang", pressed with the keyboard, sends it, and the run history holds both runs.
import { readFile } from 'node:fs/promises';
import { activate } from './activate';
import { apiLogin, importEmployees, SARI, useCentralServer } from './central-server';
import { expect, test } from './fixtures';
import { LabelPage } from './pages/label';
import { ImportPage } from './pages/import';
import { SyncPage } from './pages/sync';
import { makePdf } from './support';

const PASSWORD = 'rak arsip di lantai dua';
/** On the server's employee list from the start. */
const KNOWN = { nip: '199001012015031001', nama: 'Budi Santoso' };
/** A valid NIP the server learns of only after the first run. */
const UNKNOWN = { nip: '199202022016032002', nama: 'Dewi Lestari' };
const KNOWN_FILE = `${KNOWN.nip}_SK_PNS.pdf`;
const UNKNOWN_FILE = `${UNKNOWN.nip}_SK_PNS.pdf`;

const server = useCentralServer();

test.describe('sync', () => {
  test.use({ bootstrap: false });

  test('the server refuses one document: its reason is listed, and Kirim ulang sends it after the fix', async ({ host, page }) => {
    test.setTimeout(60_000);
    const recoveryCode = await activate(page, host.url, server, PASSWORD);
    const token = await apiLogin(server, { nip: SARI.nip, password: PASSWORD, recoveryCode });
    await importEmployees(server, token, [KNOWN]);

    const sync = new SyncPage(page);
    // Nothing imported yet: the indicator says so from the first view.
    await expect(sync.indicator).toContainText('Semua terkirim');

    await page.getByTestId('nav-import').click();
    const importer = new ImportPage(page);
    await importer.pick([await makePdf(KNOWN_FILE, ['SURAT KEPUTUSAN', KNOWN.nama]), await makePdf(UNKNOWN_FILE, ['SURAT KEPUTUSAN', UNKNOWN.nama])]);
    await page.getByTestId('nav-label').click();
    const label = new LabelPage(page);
    for (const left of [2, 1]) {
      await expect(label.position).toContainText(`Dokumen 1 dari ${left}`);
      await expect(label.type).toHaveValue('SK_PNS');
      await label.field('nomor').fill('800/17/BKD/2017');
      await label.field('tanggal').fill('2017-03-01');
      await label.field('tmt').fill('2017-03-01');
      await page.keyboard.press('Control+Enter');
    }
    await expect(label.empty).toBeVisible();
    // Ready and not sent: the indicator counts them wherever the clerk goes next.
    await page.getByTestId('nav-search').click();
    await expect(sync.indicator).toContainText('2 menunggu dikirim');

    await sync.open();
    await expect(sync.now).toBeFocused();
    await expect(sync.count('ready')).toHaveText('2');
    await page.keyboard.press('Enter');

    await expect(sync.lastReport).toContainText('1 terkirim dan diverifikasi, 1 tidak terkirim, 0 masih antre', { timeout: 30_000 });
    await expect(sync.count('verified')).toHaveText('1');
    await expect(sync.count('rejected')).toHaveText('1');
    await expect(sync.problems).toHaveCount(1);
    await expect(sync.problem(UNKNOWN_FILE)).toContainText('Ditolak');
    // The server's own words: the NIP is not an employee of the instansi.
    await expect(sync.reason(UNKNOWN_FILE)).toHaveText('Invalid label: nip: not_an_employee.');
    await expect(sync.indicator).toContainText('1 belum terkirim');

    // The fix is on the server's side: the employee joins the instansi's list.
    await importEmployees(server, token, [UNKNOWN]);
    await sync.retry(UNKNOWN_FILE).focus();
    await expect(sync.retry(UNKNOWN_FILE)).toHaveAccessibleName(`Kirim ulang ${UNKNOWN_FILE}`);
    await page.keyboard.press('Enter');

    await expect(sync.lastReport).toContainText('1 terkirim dan diverifikasi, 0 tidak terkirim, 0 masih antre', { timeout: 30_000 });
    await expect(sync.problems).toHaveCount(0);
    await expect(sync.count('verified')).toHaveText('2');
    await expect(sync.count('rejected')).toHaveText('0');
    await expect(sync.indicator).toContainText('Semua terkirim');

    // Both runs are kept; the first one's report names the refused document and why.
    await expect(sync.history).toHaveCount(2);
    const first = sync.history.nth(1);
    await expect(first.getByTestId('sync-run-verified')).toHaveText('1');
    await expect(first.getByTestId('sync-run-rejected')).toHaveText('1');
    await first.getByTestId('sync-run-open').focus();
    await page.keyboard.press('Enter');
    await expect(sync.runDetail.getByTestId('sync-run-item')).toHaveCount(2);
    await expect(sync.runDetail.locator('[data-outcome="rejected"]')).toContainText('not_an_employee');
    const download = page.waitForEvent('download');
    await sync.runDetail.getByTestId('sync-export-csv').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile((await saved.path())!, 'utf8');
    expect(csv).toContain(UNKNOWN_FILE);
    expect(csv).toContain('not_an_employee');
  });
});
