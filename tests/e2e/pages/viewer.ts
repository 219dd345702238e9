// Page object of the document viewer: the painted page and a pixel check on it.
import { expect, type Locator, type Page } from '@playwright/test';

export class ViewerPage {
  readonly root: Locator;
  readonly canvas: Locator;
  readonly pageInput: Locator;
  readonly thumbs: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('viewer');
    this.canvas = this.root.getByTestId('pdf-page');
    this.pageInput = this.root.getByTestId('pdf-page-input');
    this.thumbs = this.root.getByTestId('pdf-thumb');
  }

  async waitPainted(canvas: Locator = this.canvas): Promise<void> {
    await expect(canvas).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  }

  /** How many sampled pixels of a canvas are not white: > 0 means something was painted. */
  static async inkedPixels(canvas: Locator): Promise<number> {
    return canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) inked++;
      return inked;
    });
  }
}
