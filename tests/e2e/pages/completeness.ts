// Page object of the Kelengkapan view (office summary and work queue) and of the checklist
// panel in an employee's folder.
import type { Download, Locator, Page } from '@playwright/test';

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

  /** The history records listed under a checklist item (issue 7); data-matched says nomor, tmt or none. */
  records(key: string): Locator {
    return this.checklist.getByTestId(`checklist-records-${key}`).locator('li');
  }

  queueRow(nip: string): Locator {
    return this.queue.getByTestId('completeness-queue-row').filter({ hasText: nip });
  }

  // Exports and daily progress (issue 7).

  /** Clicks an export button (completeness-export-xlsx, -export-pdf, -picking) and returns the download with its bytes. */
  async download(testId: 'completeness-export-xlsx' | 'completeness-export-pdf' | 'completeness-picking'): Promise<{ download: Download; bytes: Buffer }> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId(testId).click();
    const download = await downloading;
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    return { download, bytes: Buffer.concat(chunks) };
  }

  /** Opens the progress table under the chart (a closed details) and returns its body rows. */
  async progressRows(): Promise<Locator> {
    await this.page.getByTestId('completeness-progress').locator('summary').click();
    return this.page.getByTestId('completeness-progress-table').locator('tbody tr');
  }

  /** The chart's points of one series ('score' or 'lengkap'), one per recorded day. */
  progressPoints(series: 'score' | 'lengkap'): Locator {
    return this.page.getByTestId(`completeness-progress-point-${series}`);
  }
}
