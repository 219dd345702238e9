// Signing in: the first run creates the admin and enrols an authenticator through the UI;
// a wrong code is refused with main's message; signing out returns to the sign-in screen.
import { expect, test } from './fixtures';
import { ADMIN, totp } from './support';

test.describe('first run', () => {
  test.use({ bootstrap: false });

  test('creates the first admin, enrols the authenticator, shows the recovery codes, then the app', async ({ host, page }) => {
    await page.goto(host.url);
    const bootstrap = page.getByTestId('auth-bootstrap');
    await expect(bootstrap).toBeVisible();
    await expect(page.getByTestId('auth-nip')).toBeFocused();
    await page.getByTestId('auth-nip').fill(ADMIN.nip);
    await page.getByTestId('auth-nama').fill(ADMIN.nama);
    await page.getByTestId('auth-password').fill(ADMIN.password);
    await page.getByTestId('auth-password-again').fill('something else');
    await page.keyboard.press('Enter');
    await expect(bootstrap.getByRole('alert')).toHaveText('Kedua kata sandi tidak sama');
    await page.getByTestId('auth-password-again').fill(ADMIN.password);
    await page.keyboard.press('Enter');

    const enrol = page.getByTestId('auth-enrol');
    await expect(enrol).toBeVisible();
    await expect(enrol.getByRole('img', { name: 'Kode QR untuk aplikasi autentikator' })).toBeVisible();
    const secret = (await page.getByTestId('auth-secret').textContent())!.replace(/\s/g, '');
    await expect(page.getByTestId('auth-code-input')).toBeFocused();
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    await expect(enrol.getByRole('alert')).toHaveText('Kode autentikator salah');
    await page.getByTestId('auth-code-input').fill(totp(secret));
    await page.keyboard.press('Enter');

    await expect(page.getByTestId('auth-recovery-codes').locator('li')).toHaveCount(10);
    await page.keyboard.press('Enter'); // the "kept them" button has focus
    await expect(page.getByTestId('nav-user')).toContainText(ADMIN.nama);
    await expect(page.getByTestId('nav-user')).toContainText('admin');
    await expect(page.getByTestId('search-input')).toBeFocused();
  });
});

test('a wrong password and a wrong code are refused; signing out returns to sign-in', async ({ host, page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('auth-login')).toBeVisible();
  await page.getByTestId('auth-nip').fill(ADMIN.nip);
  await page.getByTestId('auth-password').fill('bukan kata sandinya');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('auth-login').getByRole('alert')).toHaveText('NIP atau kata sandi salah');

  await page.getByTestId('auth-password').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('auth-code-input')).toBeFocused();
  await page.keyboard.type('123456');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('auth-code').getByRole('alert')).toContainText('Kode autentikator salah');
  await page.getByTestId('auth-code-input').fill(totp(host.secret!));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('nav-search')).toBeVisible();

  await page.getByTestId('nav-logout').click();
  await expect(page.getByTestId('auth-login')).toBeVisible();
  // The session is gone on the server too: the API refuses this tab's cookie now.
  const refused = await page.request.post(`${host.origin}/api/call/search.query`, { data: { text: '' } });
  expect(refused.status()).toBe(401);
});
