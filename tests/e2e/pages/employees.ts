// Page object of the employees view: list and history import, search and the employee's folder.
import { expect, type Locator, type Page } from '@playwright/test';
import type { UploadFile } from '../support';

export class EmployeesPage {
  readonly report: Locator;
  readonly rejected: Locator;
  readonly search: Locator;
  readonly list: Locator;
  readonly folder: Locator;
  // Employee history import (issue 7).
  readonly historyReport: Locator;
  readonly historyRejected: Locator;

  constructor(readonly page: Page) {
    this.report = page.getByTestId('employees-report');
    this.rejected = page.getByTestId('employees-rejected');
    this.search = page.getByTestId('employees-search');
    this.list = page.getByTestId('employees-list');
    this.folder = page.getByTestId('employee-folder');
    this.historyReport = page.getByTestId('history-report');
    this.historyRejected = page.getByTestId('history-rejected');
  }

  async importList(file: UploadFile): Promise<void> {
    await this.page.getByTestId('employees-file').setInputFiles(file);
    await expect(this.report).toBeVisible({ timeout: 20_000 });
  }

  /**
   * "Impor riwayat" as a keyboard user does it: the kind chosen (or left to the columns),
   * the pick button focused and pressed with Enter, the file given to the chooser.
   */
  async importHistory(file: UploadFile, kind?: string): Promise<void> {
    if (kind) await this.page.getByTestId('history-kind').selectOption(kind);
    await this.page.getByTestId('history-pick').focus();
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.keyboard.press('Enter');
    await (await chooser).setFiles(file);
    await expect(this.historyReport).toBeVisible({ timeout: 20_000 });
  }
}
