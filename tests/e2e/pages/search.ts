// Page object of the search view.
import type { Locator, Page } from '@playwright/test';

export class SearchPage {
  readonly input: Locator;
  readonly hits: Locator;
  readonly total: Locator;
  readonly results: Locator;

  constructor(readonly page: Page) {
    this.input = page.getByTestId('search-input');
    this.hits = page.getByTestId('search-hit');
    this.total = page.getByTestId('search-total');
    this.results = page.getByTestId('search-results');
  }

  async query(text: string): Promise<void> {
    await this.input.fill(text);
  }
}
