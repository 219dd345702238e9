// Page object of the Penyusutan view: recording an employee's status with its date, the
// disposal workflow's buttons and forms, and downloading a stored Berita Acara.
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class RetentionPage {
  readonly view: Locator;
  readonly detail: Locator;
  readonly proposals: Locator;

  constructor(readonly page: Page) {
    this.view = page.getByTestId('retention-view');
    this.detail = page.getByTestId('retention-detail');
    this.proposals = page.getByTestId('retention-proposals');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-retention').click();
    await expect(this.view).toBeVisible();
  }

  /** The proposals list's row of the proposal whose number contains `number`. */
  proposalRow(number: string): Locator {
    return this.proposals.getByTestId('retention-proposal-row').filter({ hasText: number });
  }

  /** Shows only the proposals in `state` ('' for all), chosen on the focused filter. */
  async filterProposals(state: string): Promise<void> {
    const filter = this.page.getByTestId('retention-proposal-filter');
    await filter.focus();
    await filter.selectOption(state);
  }

  phase(name: string): Locator {
    return this.page.getByTestId(`retention-phase-${name}`).locator('dd');
  }

  /** Records a status with its date from the keyboard: NIP, Tab, status, Tab, date, Enter. */
  async recordStatus(nip: string, code: string, date: string): Promise<void> {
    await this.page.getByTestId('retention-status-nip').focus();
    await this.page.keyboard.type(nip);
    await this.page.keyboard.press('Tab');
    await this.page.getByTestId('retention-status-code').selectOption(code);
    await this.page.getByTestId('retention-status-date').fill(date);
    await this.page.getByTestId('retention-status-date').press('Enter');
  }

  /** Presses a button with the keyboard (focus, Enter), as a clerk who never leaves it does. */
  async press(testId: string): Promise<void> {
    await this.page.getByTestId(testId).focus();
    await this.page.keyboard.press('Enter');
  }

  async download(locator: Locator): Promise<{ download: Download; bytes: Buffer }> {
    const downloading = this.page.waitForEvent('download');
    await locator.click();
    const download = await downloading;
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    return { download, bytes: Buffer.concat(chunks) };
  }
}
