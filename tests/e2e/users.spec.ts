// Pengguna: the admin creates a clerk (a weak password refused with main's message); the
// clerk's first sign-in enrols an authenticator and replaces the password; the clerk sees
// neither Aktivitas nor Pengguna, and main refuses the clerk the audit log even when asked
// directly.
import { expect, test } from './fixtures';
import { firstSignIn, UsersPage } from './pages/users';

const CLERK = { nip: '199203032015032002', nama: 'Sari Pengelola', role: 'clerk' as const, password: 'pohon mangga di halaman' };

test('admin creates a clerk, who signs in without Aktivitas or Pengguna and is refused the audit log', async ({ app }) => {
  const { page } = app;
  await expect(page.getByTestId('nav-activity')).toBeVisible();
  const users = new UsersPage(page);
  await users.open();
  await expect(users.rows).toHaveCount(1);

  await users.create({ ...CLERK, password: 'pendek' });
  await expect(users.createForm.getByRole('alert')).toHaveText('Kata sandi minimal 8 karakter');
  await expect(users.rows).toHaveCount(1);

  await users.create(CLERK);
  await expect(page.getByRole('status').filter({ hasText: `Akun ${CLERK.nip} dibuat` })).toBeVisible();
  const row = users.row(CLERK.nip);
  await expect(row).toContainText(CLERK.nama);
  await expect(row.getByTestId('users-row-role')).toHaveValue('clerk');
  await expect(row.getByTestId('users-row-status')).toHaveText('aktif · MFA belum terdaftar · wajib ganti sandi');

  await page.getByTestId('nav-logout').click();
  await expect(page.getByTestId('auth-login')).toBeVisible();
  await firstSignIn(page, CLERK, 'sawah hijau dekat sungai');
  await expect(page.getByTestId('nav-user')).toContainText(CLERK.nama);
  await expect(page.getByTestId('nav-user')).toContainText('pengelola arsip');

  await expect(page.getByTestId('nav-settings')).toBeVisible();
  await expect(page.getByTestId('nav-activity')).toHaveCount(0);
  await expect(page.getByTestId('nav-users')).toHaveCount(0);
  // A clerk sees seven entries (Alt+7 is Sinkronisasi); the digits past them lead nowhere.
  await page.keyboard.press('Alt+8');
  await page.keyboard.press('Alt+9');
  await page.keyboard.press('Alt+0');
  await expect(page.getByTestId('activity-view')).toHaveCount(0);
  await expect(page.getByTestId('users-view')).toHaveCount(0);

  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/call/audit.list', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    return (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
  });
  expect(answer.ok).toBe(false);
  expect(answer.error?.code).toBe('forbidden');
  const users2 = await page.evaluate(async () => {
    const response = await fetch('/api/call/users.list', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    return (await response.json()) as { ok: boolean; error?: { code: string } };
  });
  expect(users2.error?.code).toBe('forbidden');
});

test('admin changes a role, disables and enables, resets MFA and password; refusals show main’s message', async ({ app }) => {
  const { page } = app;
  const users = new UsersPage(page);
  await users.open();
  await users.create({ ...CLERK });
  const row = users.row(CLERK.nip);
  await expect(row).toBeVisible();

  await row.getByTestId('users-row-role').selectOption('verifier');
  await expect(page.getByRole('status').filter({ hasText: `${CLERK.nama}: perubahan tersimpan` })).toBeVisible();
  await expect(row.getByTestId('users-row-role')).toHaveValue('verifier');

  await row.getByTestId('users-disable').click();
  await expect(row.getByTestId('users-row-status')).toContainText('nonaktif');
  await row.getByTestId('users-enable').click();
  await expect(row.getByTestId('users-row-status')).toContainText('aktif');
  await expect(row.getByTestId('users-disable')).toBeVisible();

  await row.getByTestId('users-reset-password').click();
  await expect(row.getByTestId('users-new-password')).toBeFocused();
  await page.keyboard.type('123');
  await page.keyboard.press('Enter');
  await expect(users.root.getByRole('alert')).toHaveText('Kata sandi minimal 8 karakter');
  await row.getByTestId('users-reset-password').click();
  await page.keyboard.type('kebun teh di lereng');
  await page.keyboard.press('Enter');
  await expect(users.root.getByRole('alert')).toHaveCount(0);
  await expect(row.getByTestId('users-row-status')).toContainText('wajib ganti sandi');

  await row.getByTestId('users-reset-mfa').click();
  await expect(row.getByTestId('users-row-status')).toContainText('MFA belum terdaftar');

  // The only admin cannot be demoted: main refuses and says why.
  const admin = users.rows.first();
  await admin.getByTestId('users-row-role').selectOption('clerk');
  await expect(users.root.getByRole('alert')).toHaveText('Harus tetap ada paling sedikit satu admin aktif');
  await expect(admin.getByTestId('users-row-role')).toHaveValue('admin');
});

test('a screen reached with a stale role shows main’s refusal and no data', async ({ app, browser, host }) => {
  const { page } = app;
  const users = new UsersPage(page);
  await users.open();
  const second = { nip: '198505052010012003', nama: 'Admin Kedua', role: 'admin' as const, password: 'pohon mangga di halaman' };
  await users.create(second);
  await expect(users.row(second.nip)).toBeVisible();
  await page.getByTestId('nav-activity').click();
  await expect(page.getByTestId('activity-row').first()).toBeVisible();

  // The second admin, in another browser, makes the first one a clerk.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(host.url);
  await firstSignIn(otherPage, second, 'sawah hijau dekat sungai');
  const otherUsers = new UsersPage(otherPage);
  await otherUsers.open();
  await otherUsers.rows.first().getByTestId('users-row-role').selectOption('clerk');
  await expect(otherUsers.rows.first().getByTestId('users-row-role')).toHaveValue('clerk');
  await other.close();

  // This window still shows the admin's menu; main answers by the role it has now.
  const refusal = 'Peran Anda (pengelola arsip) tidak berhak melakukan ini';
  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('users-view').getByRole('alert')).toHaveText(refusal);
  await expect(page.getByTestId('users-list')).toHaveCount(0);
  await expect(page.getByTestId('users-create')).toHaveCount(0);
  await page.getByTestId('nav-activity').click();
  await expect(page.getByTestId('activity-view').getByRole('alert')).toHaveText(refusal);
  await expect(page.getByTestId('activity-row')).toHaveCount(0);
  await expect(page.getByTestId('activity-export')).toBeDisabled();
});
