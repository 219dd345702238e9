// The language switch: Bahasa Indonesia by default, English on request, kept by the profile.
import { expect, test } from './fixtures';

test('the UI switches to English and stays so after a reload', async ({ app, page }) => {
  await expect(page.getByTestId('nav-search')).toContainText('Cari');
  await app.go('settings');
  await page.getByTestId('settings-language').selectOption('en');
  await expect(page.getByTestId('nav-search')).toContainText('Search');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // The token was traded for a cookie and dropped from the address bar.
  expect(page.url()).not.toContain('token');
  await page.reload();
  await expect(page.getByTestId('nav-search')).toContainText('Search');
});

test('an admin sets the central server address; a bad one is refused with the reason', async ({ app, page }) => {
  await app.go('settings');
  const field = page.getByLabel('Alamat server pusat (DMS) untuk aktivasi dan sinkronisasi');
  await field.fill('ftp://dms.example.go.id');
  await field.press('Enter');
  await expect(page.getByRole('alert')).toBeVisible();
  await field.fill('https://dms.bkd.example.go.id');
  await field.press('Enter');
  await expect(page.getByText('Pengaturan tersimpan')).toBeVisible();
  await page.reload();
  await app.click('settings');
  await expect(page.getByLabel('Alamat server pusat (DMS) untuk aktivasi dan sinkronisasi')).toHaveValue('https://dms.bkd.example.go.id');
});
