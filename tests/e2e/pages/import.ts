// Page object of the import view: picking files, and reading the report.
import { expect, type Locator, type Page } from '@playwright/test';
import type { UploadFile } from '../support';

export class ImportPage {
  readonly report: Locator;
  readonly imported: Locator;
  readonly duplicates: Locator;
  readonly failed: Locator;

  constructor(readonly page: Page) {
    this.report = page.getByTestId('import-report');
    this.imported = page.getByTestId('import-imported');
    this.duplicates = page.getByTestId('import-duplicates');
    this.failed = page.getByTestId('import-failed');
  }

  /** Picks files as the file picker would and waits for the report. */
  async pick(files: UploadFile[]): Promise<void> {
    await this.page.getByTestId('import-files').setInputFiles(files);
    await expect(this.report).toBeVisible({ timeout: 30_000 });
  }

  failure(name: string): Locator {
    return this.failed.locator('li').filter({ hasText: name });
  }
}
