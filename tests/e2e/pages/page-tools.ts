// Page object of the viewer's page tools: the tools row, the confirmation, the low-dpi
// warning, the merge list, and the shape of the page painted now.
import type { Locator, Page } from '@playwright/test';

export class PageToolsPage {
  readonly root: Locator;
  readonly confirm: Locator;
  readonly confirmYes: Locator;
  readonly lowDpiWarning: Locator;
  readonly pageCount: Locator;
  readonly merge: Locator;
  readonly mergeYes: Locator;

  constructor(readonly page: Page) {
    const viewer = page.getByTestId('viewer');
    this.root = viewer.getByTestId('page-tools');
    this.confirm = this.root.getByTestId('page-confirm');
    this.confirmYes = this.root.getByTestId('page-confirm-yes');
    this.lowDpiWarning = this.root.getByTestId('low-dpi-warning');
    this.pageCount = viewer.getByTestId('pdf-page-count');
    this.merge = this.root.getByTestId('page-merge');
    this.mergeYes = this.root.getByTestId('page-merge-yes');
  }

  /** Width and height of the painted page canvas. */
  static async canvasShape(canvas: Locator): Promise<{ w: number; h: number }> {
    return canvas.evaluate((c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height }));
  }
}
