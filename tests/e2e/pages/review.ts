// Page object of the Verifikasi view (issue 7): the list awaiting review, the detail with
// approve and reject, and calls on main through the signed-in page's own session.
import { expect, type Locator, type Page } from '@playwright/test';

export class ReviewPage {
  readonly list: Locator;
  readonly items: Locator;
  readonly count: Locator;
  readonly empty: Locator;
  readonly reason: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByTestId('review-list');
    this.items = page.getByTestId('review-item');
    this.count = page.getByTestId('review-count');
    this.empty = page.getByTestId('review-empty');
    this.reason = page.getByTestId('review-reason');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-review').click();
    await expect(this.page.getByTestId('nav-review')).toHaveAttribute('aria-current', 'page');
  }

  item(name: string): Locator {
    return this.items.filter({ hasText: name });
  }

  /** Rejects the shown document with the reason the clerk will read. */
  async reject(reason: string): Promise<void> {
    await this.page.getByTestId('review-reject-open').click();
    await expect(this.reason).toBeFocused();
    await this.page.keyboard.type(reason);
    await this.page.getByTestId('review-reject').click();
  }
}

/** Calls a contract method as the page's signed-in user; throws main's message on a refusal. */
export async function callAs<T>(page: Page, method: string, input: unknown): Promise<T> {
  const answer = await page.evaluate(
    async ([name, body]) => {
      const response = await fetch(`/api/call/${name}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    },
    [method, input] as const,
  );
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.message}`);
  return answer.value as T;
}
