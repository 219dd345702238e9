// Page object of the Pengguna screen (admin only), and a new user's first sign-in: password,
// authenticator enrolment with the QR code, recovery codes, then the forced password change.
import { expect, type Locator, type Page } from '@playwright/test';
import { totp } from '../support';

export interface NewUser {
  nip: string;
  nama: string;
  role: 'clerk' | 'verifier' | 'admin';
  password: string;
}

export class UsersPage {
  readonly root: Locator;
  readonly createForm: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('users-view');
    this.createForm = page.getByTestId('users-create');
    this.rows = page.getByTestId('users-row');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-users').click();
    await expect(this.page.getByTestId('nav-users')).toHaveAttribute('aria-current', 'page');
    await expect(this.page.getByTestId('users-list')).toBeVisible();
  }

  /** Fills the create form and submits it with Enter. */
  async create(user: NewUser): Promise<void> {
    await this.page.getByTestId('users-nip').fill(user.nip);
    await this.page.getByTestId('users-nama').fill(user.nama);
    await this.page.getByTestId('users-role').selectOption(user.role);
    await this.page.getByTestId('users-password').fill(user.password);
    await this.page.getByTestId('users-password').press('Enter');
  }

  row(nip: string): Locator {
    return this.page.locator(`[data-testid="users-row"][data-nip="${nip}"]`);
  }
}

/**
 * A created user's first sign-in, from the sign-in screen: password; enrolment (the QR code is
 * shown, the secret read off the screen, a code typed); the recovery codes kept; the admin's
 * password replaced. Returns the authenticator secret.
 */
export async function firstSignIn(page: Page, user: { nip: string; password: string }, newPassword: string): Promise<string> {
  await expect(page.getByTestId('auth-nip')).toBeFocused();
  await page.keyboard.type(user.nip);
  await page.keyboard.press('Tab');
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');

  const enrol = page.getByTestId('auth-enrol');
  await expect(enrol).toBeVisible();
  await expect(enrol.getByRole('img', { name: 'Kode QR untuk aplikasi autentikator' })).toBeVisible();
  const secret = (await page.getByTestId('auth-secret').textContent())!.replace(/\s/g, '');
  await expect(page.getByTestId('auth-code-input')).toBeFocused();
  await page.keyboard.type(totp(secret));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('auth-recovery-codes').locator('li')).toHaveCount(10);
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('auth-change-password')).toBeVisible();
  await page.getByTestId('auth-password-old').fill(user.password);
  await page.getByTestId('auth-password').fill(newPassword);
  await page.getByTestId('auth-password-again').fill(newPassword);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('nav-search')).toBeVisible();
  return secret;
}
