// Page object of the conflicts panel in Sinkronisasi: each conflict (focusable, L or S
// decides), its local and server sides, and the panel's notice after a choice.
import type { Locator, Page } from '@playwright/test';

export class ConflictsPanel {
  readonly panel: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('sync-conflicts');
    this.items = this.panel.locator('article.conflict');
  }

  conflict(documentId: number): Locator {
    return this.panel.getByTestId(`conflict-${documentId}`);
  }

  /** The local side is shown first, the server's second. */
  side(documentId: number, which: 'local' | 'server'): Locator {
    return this.conflict(documentId).locator('.conflict-side').nth(which === 'local' ? 0 : 1);
  }
}
