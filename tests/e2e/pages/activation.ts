// Page object of the online activation ("Aktivasi akun (online)"): its five steps, driven
// with the keyboard the way a clerk fills them in.
import { expect, type Locator, type Page } from '@playwright/test';

export class ActivationPage {
  constructor(readonly page: Page) {}

  step(name: 'request' | 'password' | 'enrol' | 'login' | 'done'): Locator {
    return this.page.getByTestId(`activate-${name}`);
  }

  /** The error shown inline on the current step. */
  error(name: 'request' | 'password' | 'enrol' | 'login'): Locator {
    return this.step(name).getByRole('alert');
  }

  /** From the sign-in or first-run screen: the link, then the first step's form. */
  async open(): Promise<void> {
    await this.page.getByTestId('auth-activate').click();
    await expect(this.step('request')).toBeVisible();
  }

  /** Step 1: server address (when the profile takes one), NIP and e-mail; Enter sends. */
  async requestCode(fields: { serverUrl?: string; nip: string; email: string }): Promise<void> {
    if (fields.serverUrl !== undefined) {
      await expect(this.page.getByTestId('activate-server')).toBeFocused();
      await this.page.keyboard.type(fields.serverUrl);
      await this.page.keyboard.press('Tab');
    }
    await expect(this.page.getByTestId('auth-nip')).toBeFocused();
    await this.page.keyboard.type(fields.nip);
    await this.page.keyboard.press('Tab');
    await this.page.keyboard.type(fields.email);
    await this.page.keyboard.press('Enter');
  }

  /** Step 2: the e-mailed code and the new password twice; Enter saves. */
  async setPassword(code: string, password: string): Promise<void> {
    await this.page.getByTestId('activate-code').fill(code);
    await this.page.getByTestId('auth-password').fill(password);
    await this.page.getByTestId('auth-password-again').fill(password);
    await this.page.getByTestId('auth-password-again').press('Enter');
  }

  /** Step 3: the key shown beside the QR code, without the grouping spaces. */
  async secret(): Promise<string> {
    await expect(this.step('enrol').getByRole('img', { name: 'Kode QR untuk aplikasi autentikator' })).toBeVisible();
    return (await this.page.getByTestId('auth-secret').textContent())!.replace(/\s/g, '');
  }

  /** Steps 3 and 5: a code from the authenticator into the focused code field; Enter sends. */
  async typeCode(code: string): Promise<void> {
    await expect(this.page.getByTestId('auth-code-input')).toBeFocused();
    await this.page.getByTestId('auth-code-input').fill(code);
    await this.page.keyboard.press('Enter');
  }
}
