// Page object of the employees view: list import, search and the employee's folder.
import { expect, type Locator, type Page } from '@playwright/test';
import type { UploadFile } from '../support';

export class EmployeesPage {
  readonly report: Locator;
  readonly rejected: Locator;
  readonly search: Locator;
  readonly list: Locator;
  readonly folder: Locator;

  constructor(readonly page: Page) {
    this.report = page.getByTestId('employees-report');
    this.rejected = page.getByTestId('employees-rejected');
    this.search = page.getByTestId('employees-search');
    this.list = page.getByTestId('employees-list');
    this.folder = page.getByTestId('employee-folder');
  }

  async importList(file: UploadFile): Promise<void> {
    await this.page.getByTestId('employees-file').setInputFiles(file);
    await expect(this.report).toBeVisible({ timeout: 20_000 });
  }
}
