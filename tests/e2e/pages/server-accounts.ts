// Page object of "Akun di server pusat" in Pengguna (admin only): the central server's
// accounts of the instansi, the form that adds one, and each row's role, status and
// Nonaktifkan / Aktifkan (disabling asks first).
import { expect, type Locator, type Page } from '@playwright/test';

export class ServerAccountsPage {
  readonly root: Locator;
  readonly list: Locator;
  readonly form: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('server-accounts');
    this.list = page.getByTestId('server-accounts-list');
    this.form = page.getByTestId('server-accounts-create');
    this.notice = this.root.getByRole('status');
  }

  /** Opens Pengguna and waits for the server's accounts. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-users').click();
    await expect(this.page.getByTestId('nav-users')).toHaveAttribute('aria-current', 'page');
    await expect(this.list).toBeVisible({ timeout: 20_000 });
  }

  /** Types the form from its first field with the keyboard and submits it with Enter. */
  async add(account: { nip: string; name: string; email: string; role: 'clerk' | 'verifier' | 'admin' }): Promise<void> {
    await this.page.getByTestId('server-accounts-nip').focus();
    await this.page.keyboard.type(account.nip);
    await this.page.keyboard.press('Tab');
    await this.page.keyboard.type(account.name);
    await this.page.keyboard.press('Tab');
    await this.page.keyboard.type(account.email);
    await this.page.getByTestId('server-accounts-role').selectOption(account.role);
    await this.page.getByTestId('server-accounts-email').press('Enter');
  }

  row(nip: string): Locator {
    return this.page.locator(`[data-testid="server-accounts-row"][data-nip="${nip}"]`);
  }

  status(nip: string): Locator {
    return this.row(nip).getByTestId('server-accounts-row-status');
  }

  rowError(nip: string): Locator {
    return this.row(nip).getByTestId('server-accounts-row-error');
  }
}
