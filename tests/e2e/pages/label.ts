// Page object of the labelling view: the form's fields and what the clerk sees after saving.
import { expect, type Locator, type Page } from '@playwright/test';

export class LabelPage {
  readonly nip: Locator;
  readonly type: Locator;
  readonly position: Locator;
  readonly empty: Locator;
  readonly unknownNip: Locator;
  readonly status: Locator;
  readonly preview: Locator;

  constructor(readonly page: Page) {
    this.nip = page.getByTestId('label-nip');
    this.type = page.getByTestId('label-type');
    this.position = page.getByTestId('label-position');
    this.empty = page.getByTestId('label-empty');
    this.unknownNip = page.getByTestId('label-nip-unknown');
    this.status = page.getByRole('status').filter({ hasText: '#' });
    this.preview = page.locator('.preview').getByTestId('pdf-page');
  }

  field(key: string): Locator {
    return this.page.getByTestId(`label-field-${key}`);
  }

  /** Fills the shown document's fields and saves with Ctrl+Enter, as a clerk does; waits for the queue to empty. */
  async saveFields(fields: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(fields)) await this.field(key).fill(value);
    await this.page.keyboard.press('Control+Enter');
    await expect(this.empty).toBeVisible();
  }

  error(key: string): Locator {
    return this.page.locator(`#label-error-${key}`);
  }
}
