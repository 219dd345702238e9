// Page object of separator sheets in an employee's checklist: print them all, or one item's.
import type { Download, Locator, Page } from '@playwright/test';

export class SeparatorsPage {
  readonly printMissing: Locator;

  constructor(readonly page: Page) {
    this.printMissing = page.getByTestId('separators-print-missing');
  }

  printOne(key: string): Locator {
    return this.page.getByTestId(`separators-print-${key}`);
  }

  /** Clicks a print button and returns the PDF the browser downloads. */
  async download(button: Locator): Promise<{ download: Download; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    return { download, bytes: await readFile(path) };
  }
}
