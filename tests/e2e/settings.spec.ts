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
