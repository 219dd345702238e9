// The instansi admin keeps the central server's accounts from Lemari (Pengguna, "Akun di
// server pusat"), in Chromium against a real central server (`lemari-server` as a child
// process, tests/e2e/central-server.ts). Sari activates her admin account online, so she has
// a server session; she adds a clerk's account with the keyboard: the screen says the
// activation code was e-mailed, and the mail with the code lands in the server's mail folder
// (the code never shows on her screen). She disables the clerk (after a confirm, Escape
// first backs out of it), enables it again, and her own account is refused in its row.
import { activate } from './activate';
import { mailedCode, SARI, useCentralServer } from './central-server';
import { expect, test } from './fixtures';
import { ServerAccountsPage } from './pages/server-accounts';

const PASSWORD = 'lemari arsip pusat kota';
const CLERK = { nip: '199001012015031001', name: 'Rina Wulandari', email: 'rina.wulandari@bkd.example.go.id', role: 'clerk' } as const;

const server = useCentralServer();

test.describe('server accounts', () => {
  test.use({ bootstrap: false });

  test('the admin adds a clerk account on the server, the code is mailed to the clerk, and the admin disables it', async ({ host, page }) => {
    test.setTimeout(60_000);
    await activate(page, host.url, server, PASSWORD);

    const accounts = new ServerAccountsPage(page);
    await accounts.open();
    await expect(accounts.row(SARI.nip)).toContainText(SARI.name);
    await expect(accounts.status(SARI.nip)).toHaveText('aktif');

    await accounts.add(CLERK);
    await expect(accounts.notice).toContainText(`Akun ${CLERK.nip} dibuat di server pusat. Kode aktivasi dikirim ke ${CLERK.email}`);
    await expect(accounts.row(CLERK.nip)).toContainText(CLERK.name);
    await expect(accounts.row(CLERK.nip)).toContainText(CLERK.email);
    await expect(accounts.status(CLERK.nip)).toHaveText('menunggu aktivasi');
    await expect(page.getByTestId('server-accounts-nip')).toHaveValue('');

    // The mail reached the clerk's inbox (the server's mail folder); the code is not on the admin's screen.
    const code = await mailedCode(server, CLERK.email, new Set());
    await expect(page.locator('body')).not.toContainText(code);

    // Nonaktifkan asks first; Escape backs out and nothing changes.
    await accounts.row(CLERK.nip).getByTestId('server-accounts-disable').focus();
    await page.keyboard.press('Enter');
    const confirm = accounts.row(CLERK.nip).getByTestId('server-accounts-confirm');
    await expect(confirm).toContainText('Semua sesinya di server pusat langsung berakhir');
    await expect(confirm.getByTestId('server-accounts-confirm-yes')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(accounts.status(CLERK.nip)).toHaveText('menunggu aktivasi');

    await accounts.row(CLERK.nip).getByTestId('server-accounts-disable').focus();
    await page.keyboard.press('Enter');
    await expect(confirm.getByTestId('server-accounts-confirm-yes')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(accounts.status(CLERK.nip)).toHaveText('nonaktif');
    await expect(accounts.notice).toContainText(`${CLERK.name}: perubahan tersimpan di server pusat`);

    // The server holds it: after a reload the account is still disabled.
    await page.getByTestId('server-accounts-reload').click();
    await expect(accounts.status(CLERK.nip)).toHaveText('nonaktif');

    // Aktifkan: a never-activated account goes back to waiting for its activation.
    await accounts.row(CLERK.nip).getByTestId('server-accounts-enable').click();
    await expect(accounts.status(CLERK.nip)).toHaveText('menunggu aktivasi');

    // Her own account: the server's refusal, in Indonesian, in that row.
    await accounts.row(SARI.nip).getByTestId('server-accounts-disable').click();
    await accounts.row(SARI.nip).getByTestId('server-accounts-confirm-yes').click();
    await expect(accounts.rowError(SARI.nip)).toContainText('Admin tidak dapat mengubah akunnya sendiri di server pusat');
    await expect(accounts.status(SARI.nip)).toHaveText('aktif');
  });
});
