// Page object of the Kelengkapan view (office summary and work queue) and of the checklist
// panel in an employee's folder.
import type { Locator, Page } from '@playwright/test';

export class CompletenessPage {
  readonly view: Locator;
  readonly average: Locator;
  readonly lengkap: Locator;
  readonly queue: Locator;
  readonly queueCount: Locator;
  readonly checklist: Locator;

  constructor(readonly page: Page) {
    this.view = page.getByTestId('completeness-view');
    this.average = page.getByTestId('completeness-average');
    this.lengkap = page.getByTestId('completeness-lengkap');
    this.queue = page.getByTestId('completeness-queue');
    this.queueCount = page.getByTestId('completeness-queue-count');
    this.checklist = page.getByTestId('employee-checklist');
  }

  /** One item of the open employee's checklist, by rule key (SK_PNS); data-status says held/missing. */
  item(key: string): Locator {
    return this.checklist.getByTestId(`checklist-${key}`);
  }

  queueRow(nip: string): Locator {
    return this.queue.getByTestId('completeness-queue-row').filter({ hasText: nip });
  }
}
