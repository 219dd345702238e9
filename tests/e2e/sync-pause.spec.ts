// A clerk's Jeda (issue 5) in Chromium against a real central server: the run started with
// "Sinkronkan sekarang" over a slow link (the bandwidth cap set in Pengaturan) is paused,
// the navigation's indicator says Dijeda, and it still does after a reload (the pause is
// stored in the profile, not the page); Lanjutkan then sends the rest.
import { activate } from './activate';
import { apiLogin, importEmployees, SARI, useCentralServer } from './central-server';
import { expect, test } from './fixtures';
import { ImportPage } from './pages/import';
import { LabelPage } from './pages/label';
import { SyncPage } from './pages/sync';
import { feederStackPdf, letterLines } from '../fixtures/feeder-stack';

const PASSWORD = 'rak arsip di lantai dua';
const KNOWN = { nip: '199001012015031001', nama: 'Budi Santoso' };
const KNOWN_FILE = `${KNOWN.nip}_SK_PNS.pdf`;

const server = useCentralServer();

test.describe('sync pause', () => {
  test.use({ bootstrap: false });

  test('Jeda holds the sync across a reload, shown in the navigation, until Lanjutkan sends the rest', async ({ host, page }) => {
    test.setTimeout(120_000);
    const recoveryCode = await activate(page, host.url, server, PASSWORD);
    const token = await apiLogin(server, { nip: SARI.nip, password: PASSWORD, recoveryCode });
    await importEmployees(server, token, [KNOWN]);
    // A slow shared link: 64 kbit/s, so a scan of a few hundred KB takes long enough to pause.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('sync-settings-bandwidth').fill('64');
    await page.getByTestId('sync-settings-save').click();
    await expect(page.getByRole('status').filter({ hasText: 'tersimpan' }).first()).toBeVisible();

    const scan = await feederStackPdf(
      [{ kind: 'text', lines: letterLines(7) }, { kind: 'text', lines: letterLines(8) }],
      (index) => ({ dpi: 150, angle: 0.5, noise: 0.02, seed: 40 + index }),
    );
    await page.getByTestId('nav-import').click();
    await new ImportPage(page).pick([{ name: KNOWN_FILE, mimeType: 'application/pdf', buffer: Buffer.from(scan) }]);
    await page.getByTestId('nav-label').click();
    const label = new LabelPage(page);
    await label.saveFields({ nomor: '800/18/BKD/2017', tanggal: '2017-03-01', tmt: '2017-03-01' });

    const sync = new SyncPage(page);
    await sync.open();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('sync-progress')).toBeVisible();
    await page.getByTestId('sync-pause').click();
    await expect(page.getByTestId('sync-resume')).toBeVisible({ timeout: 30_000 });
    await expect(sync.indicator).toHaveAttribute('data-paused', 'true');
    await expect(sync.indicator).toContainText('Dijeda');

    // The pause is the office's, not the page's: it is there after a reload.
    await page.reload();
    await expect(sync.indicator).toContainText('Dijeda');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('sync-settings-bandwidth').fill('');
    await page.getByTestId('sync-settings-save').click();
    await sync.open();
    await page.getByTestId('sync-resume').click();
    await expect(sync.lastReport).toContainText('1 terkirim dan diverifikasi', { timeout: 60_000 });
    await expect(sync.indicator).toHaveAttribute('data-paused', 'false');
    await expect(sync.indicator).toContainText('Semua terkirim');
  });
});
