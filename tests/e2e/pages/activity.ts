// Page object of the Aktivitas screen: the audit table, its filters and the CSV export.
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export type ActivityFilter = 'actor' | 'action' | 'nip' | 'from' | 'to';

export class ActivityPage {
  readonly root: Locator;
  readonly rows: Locator;
  readonly count: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('activity-view');
    this.rows = page.getByTestId('activity-row');
    this.count = page.getByTestId('activity-count');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-activity').click();
    await expect(this.page.getByTestId('nav-activity')).toHaveAttribute('aria-current', 'page');
    await expect(this.count).toBeVisible();
  }

  filter(name: ActivityFilter): Locator {
    return this.page.getByTestId(`activity-filter-${name}`);
  }

  /** The rows of one action code. */
  rowsOf(action: string): Locator {
    return this.page.locator(`[data-testid="activity-row"][data-action="${action}"]`);
  }

  /** Clicks "Ekspor CSV" and returns the download with its text. */
  async exportCsv(): Promise<{ download: Download; text: string }> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId('activity-export').click();
    const download = await downloading;
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    return { download, text: Buffer.concat(chunks).toString('utf8') };
  }
}
