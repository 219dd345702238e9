// Online activation in Chromium against a real central server: `lemari-server` runs as a
// child process on port 0 over its embedded database, with a pending admin account made by
// `lemari-server admin create`, and writes its mails into its data folder, where the test
// reads the activation code as the clerk reads their inbox. The clerk starts on a fresh
// profile's first-run screen and goes through every step with the keyboard: a wrong e-mail
// code keeps the form, the authenticator is enrolled from the QR code's key, the recovery
// codes are shown once, the code that enrolled the app is refused at sign-in, a new one
// signs in. Authenticator codes come from the RFC 6238 generator in support.ts.
import { expect, test } from './fixtures';
import { mailedCode, SARI, useCentralServer } from './central-server';
import { ActivationPage } from './pages/activation';
import { previousStepCode, totp } from './support';

const PASSWORD = 'rak arsip di lantai dua';

const server = useCentralServer();

test.describe('online activation', () => {
  test.use({ bootstrap: false });

  test('activates the account from a fresh profile and signs in with a new code', async ({ host, page }) => {
    const activation = new ActivationPage(page);
    const seen = new Set<string>();
    await page.goto(host.url);
    await expect(page.getByTestId('auth-bootstrap')).toBeVisible();
    await expect(page.getByTestId('auth-activate')).toHaveText('Aktivasi akun (online)');
    await activation.open();
    await expect(page.getByTestId('auth-step')).toHaveText('Langkah 1 dari 5');

    // A server address that is not one is refused inline; what was typed stays.
    await activation.requestCode({ serverUrl: 'dms.bkd.example.go.id', nip: SARI.nip, email: SARI.email });
    await expect(activation.error('request')).toContainText('Alamat server harus diawali http:// atau https://');
    await expect(page.getByTestId('auth-nip')).toHaveValue(SARI.nip);
    await page.getByTestId('activate-server').fill(server.url);
    await page.getByTestId('activate-email').press('Enter');

    // Step 2: a wrong e-mail code keeps the passwords typed; the right one goes on.
    await expect(activation.step('password')).toBeVisible();
    await expect(activation.step('password')).toContainText(SARI.email);
    await expect(page.getByTestId('activate-code')).toBeFocused();
    const code = await mailedCode(server, SARI.email, seen);
    await activation.setPassword(code === '1111 1111' ? '2222 2222' : '1111 1111', PASSWORD);
    await expect(activation.error('password')).toContainText('Kode dari e-mail salah');
    await expect(page.getByTestId('auth-password')).toHaveValue(PASSWORD);
    await expect(page.getByTestId('auth-password-again')).toHaveValue(PASSWORD);
    await page.getByTestId('activate-code').fill(code);
    await page.getByTestId('activate-code').press('Enter');

    // Step 3: the QR code and its key; a code from the app activates it.
    await expect(activation.step('enrol')).toBeVisible();
    await expect(page.getByTestId('auth-step')).toHaveText('Langkah 3 dari 5');
    const secret = await activation.secret();
    // The previous step's code, inside the drift window: the current one stays fresh for the sign-in.
    const enrolCode = await previousStepCode(secret);
    await activation.typeCode(enrolCode);

    // Step 4: ten recovery codes, once; Enter on the focused button goes on.
    await expect(page.getByTestId('auth-recovery-codes').locator('li')).toHaveCount(10);
    await page.keyboard.press('Enter');

    // Step 5: the code that enrolled the app is spent; the screen says why a new one is needed.
    await expect(activation.step('login')).toContainText('satu kode hanya berlaku sekali');
    await activation.typeCode(enrolCode);
    await expect(activation.error('login')).toContainText('sudah dipakai untuk mendaftarkan autentikator');
    await activation.typeCode(totp(secret));

    // Signed in, as the server knows the account: name and role.
    await expect(page.getByTestId('nav-user')).toContainText(SARI.name);
    await expect(page.getByTestId('nav-user')).toContainText('admin');

    // The profile now has that account: signing out leads to the ordinary sign-in, not to first run.
    await page.getByTestId('nav-logout').click();
    await expect(page.getByTestId('auth-login')).toBeVisible();
    await expect(page.getByTestId('auth-activate')).toBeVisible();
  });
});
