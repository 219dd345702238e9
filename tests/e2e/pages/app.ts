// Page object of the app shell: opening the page with its token, signing in, and the left
// navigation.
import { expect, type Page } from '@playwright/test';
import { CompletenessPage } from './completeness';
import { EmployeesPage } from './employees';
import { ImportPage } from './import';
import { LabelPage } from './label';
import { SearchPage } from './search';
import { ViewerPage } from './viewer';

export type ViewName = 'import' | 'label' | 'search' | 'employees' | 'settings' | 'completeness';
const SHORTCUT: Record<ViewName, string> = { import: 'Alt+1', label: 'Alt+2', search: 'Alt+3', employees: 'Alt+4', settings: 'Alt+5', completeness: 'Alt+6' };

export class AppPage {
  readonly import: ImportPage;
  readonly label: LabelPage;
  readonly search: SearchPage;
  readonly viewer: ViewerPage;
  readonly employees: EmployeesPage;
  readonly completeness: CompletenessPage;

  constructor(readonly page: Page) {
    this.import = new ImportPage(page);
    this.label = new LabelPage(page);
    this.search = new SearchPage(page);
    this.viewer = new ViewerPage(page);
    this.employees = new EmployeesPage(page);
    this.completeness = new CompletenessPage(page);
  }

  /** Opens the printed URL; the page shows the sign-in (or first-admin) screen. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.locator('[data-testid="auth-login"], [data-testid="auth-bootstrap"]')).toBeVisible();
  }

  /** Signs in with the keyboard: NIP, Tab, password, Enter, code, Enter. */
  async signIn(nip: string, password: string, code: string): Promise<void> {
    await expect(this.page.getByTestId('auth-nip')).toBeFocused();
    await this.page.keyboard.type(nip);
    await this.page.keyboard.press('Tab');
    await this.page.keyboard.type(password);
    await this.page.keyboard.press('Enter');
    await expect(this.page.getByTestId('auth-code-input')).toBeFocused();
    await this.page.keyboard.type(code);
    await this.page.keyboard.press('Enter');
    await expect(this.page.getByTestId('nav-search')).toBeVisible();
  }

  /** Goes to a view with its keyboard shortcut, the way a clerk does. */
  async go(view: ViewName): Promise<void> {
    await this.page.keyboard.press(SHORTCUT[view]);
    await expect(this.page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
  }

  async click(view: ViewName): Promise<void> {
    await this.page.getByTestId(`nav-${view}`).click();
  }
}
