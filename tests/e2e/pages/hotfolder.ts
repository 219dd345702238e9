// Page object of the import view's "Folder pantau" section: adding a folder by its path,
// and reading the folders, the files taken and the failures.
import { expect, type Locator, type Page } from '@playwright/test';

export class HotFolderPage {
  readonly section: Locator;
  readonly folders: Locator;
  readonly recent: Locator;
  readonly failures: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('hot-folder');
    this.folders = page.getByTestId('hot-folder-folders');
    this.recent = page.getByTestId('hot-folder-recent');
    this.failures = page.getByTestId('hot-folder-failures');
  }

  async add(path: string): Promise<void> {
    await this.section.getByLabel(/Alamat folder|Folder path/).fill(path);
    await this.section.getByRole('button', { name: /Pantau folder|Watch folder/ }).click();
    await expect(this.folder(path)).toBeVisible();
  }

  folder(path: string): Locator {
    return this.folders.locator('li').filter({ hasText: path });
  }

  taken(name: string): Locator {
    return this.recent.locator('li').filter({ hasText: name });
  }

  failure(name: string): Locator {
    return this.failures.locator('li').filter({ hasText: name });
  }
}
