// Online activation through the UI's five steps against a central server (as
// activation.spec.ts, without its detours), for the specs that need a workstation account
// with a server session; answers an unused recovery code for the script's own login.
import { expect, type Page } from '@playwright/test';
import { mailedCode, SARI, type CentralServer } from './central-server';
import { ActivationPage } from './pages/activation';
import { previousStepCode, totp } from './support';

export async function activate(page: Page, url: string, server: CentralServer, password: string): Promise<string> {
  const activation = new ActivationPage(page);
  await page.goto(url);
  await activation.open();
  await activation.requestCode({ serverUrl: server.url, nip: SARI.nip, email: SARI.email });
  await expect(activation.step('password')).toBeVisible();
  await activation.setPassword(await mailedCode(server, SARI.email, new Set()), password);
  const secret = await activation.secret();
  await activation.typeCode(await previousStepCode(secret));
  const codes = page.getByTestId('auth-recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().textContent())!.trim();
  await page.keyboard.press('Enter');
  await activation.typeCode(totp(secret));
  await expect(page.getByTestId('nav-user')).toContainText(SARI.name);
  return recoveryCode;
}
