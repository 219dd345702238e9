// Page object of Sinkronisasi: the send button, the counts per sync state, "Belum terkirim"
// with its Kirim ulang buttons, the run history and the pending-work indicator in the nav.
import { expect, type Locator, type Page } from '@playwright/test';

export class SyncPage {
  readonly view: Locator;
  readonly now: Locator;
  readonly indicator: Locator;
  readonly lastReport: Locator;
  readonly problems: Locator;
  readonly history: Locator;
  readonly runDetail: Locator;

  constructor(readonly page: Page) {
    this.view = page.getByTestId('sync-view');
    this.now = page.getByTestId('sync-now');
    this.indicator = page.getByTestId('sync-indicator');
    this.lastReport = page.getByTestId('sync-last-report');
    this.problems = page.getByTestId('sync-problems').getByTestId('sync-problem');
    this.history = page.getByTestId('sync-history').getByTestId('sync-run');
    this.runDetail = page.getByTestId('sync-run-detail');
  }

  /** From anywhere: the nav entry (its Alt+digit depends on the roles' entries before it). */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-sync').click();
    await expect(this.view).toBeVisible();
  }

  /** The number shown for a sync state ('ready' is ready and not queued yet). */
  count(state: 'ready' | 'queued' | 'uploading' | 'committed' | 'verified' | 'rejected' | 'conflict'): Locator {
    return this.page.getByTestId(`sync-count-${state}`).locator('dd');
  }

  problem(name: string): Locator {
    return this.problems.filter({ hasText: name });
  }

  reason(name: string): Locator {
    return this.problem(name).getByTestId('sync-problem-reason');
  }

  retry(name: string): Locator {
    return this.problem(name).getByTestId('sync-retry');
  }
}
