// Page object of the size budget in the viewer (OptimizeCompare.tsx): the over-budget
// warning, the side-by-side of original and optimized, and the clerk's accept.
import { type Locator, type Page } from '@playwright/test';

export class OptimizePage {
  readonly root: Locator;
  readonly warning: Locator;
  readonly compare: Locator;
  readonly originalSize: Locator;
  readonly optimizedSize: Locator;
  readonly originalImage: Locator;
  readonly optimizedImage: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('viewer');
    this.warning = this.root.getByTestId('optimize-warning');
    this.compare = this.root.getByTestId('optimize-compare');
    this.originalSize = this.compare.getByTestId('optimize-original-size');
    this.optimizedSize = this.compare.getByTestId('optimize-optimized-size');
    this.originalImage = this.compare.getByTestId('optimize-original');
    this.optimizedImage = this.compare.getByTestId('optimize-optimized');
  }

  button(name: 'Optimalkan' | 'Terima hasil optimasi' | 'Batal' | 'Halaman berikutnya'): Locator {
    return this.root.getByTestId('optimize').getByRole('button', { name, exact: true });
  }

  /** Whether an image finished loading with real pixels. */
  static async loaded(image: Locator): Promise<boolean> {
    return image.evaluate((element) => (element as HTMLImageElement).complete && (element as HTMLImageElement).naturalWidth > 0);
  }
}
