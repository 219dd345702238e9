// The app shell: the left navigation (Alt+1..9, 0; the oversight screens only for the roles main lets read them), the views (each mounted on first visit and
// kept, so a search or a half-labelled form survives a trip elsewhere) and the document
// viewer laid over them.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Role, Settings } from '../../../common/contract';
import type { ReferenceData } from '../../../common/doctypes';
import type { Locale, MessageKey } from '../../../common/i18n';
import { t } from '../../../common/i18n';
import { ActivityView } from '../features/activity';
import { CompletenessView } from '../features/completeness';
import { EmployeesView } from '../features/employees';
import { ImportView } from '../features/import';
import { LabelView } from '../features/labelling';
import { ReviewView } from '../features/review';
// Retention (issue 7).
import { RetentionView } from '../features/retention';
import { SearchView } from '../features/search';
import { SettingsView } from '../features/settings';
import { UsersView } from '../features/users';
import { SyncIndicator, SyncView } from '../features/sync';
import { DocumentViewer } from '../features/viewer';
import type { Host } from '../host';
import type { SignedInUser } from '../features/auth';
import { ServicesContext, VIEW_NAMES, type AppInfo, type Services, type ViewName } from '../shared/services';

/** The shared views, Kelengkapan, and the oversight screens, which only some roles see. */
type AppView = ViewName | 'completeness' | 'activity' | 'users' | 'sync' | 'review' | 'retention';
const APP_VIEWS: readonly AppView[] = [...VIEW_NAMES, 'completeness', 'activity', 'users', 'sync', 'review', 'retention'];

const NAV: { view: AppView; label: MessageKey; roles?: readonly Role[] }[] = [
  { view: 'import', label: 'nav.import' },
  { view: 'label', label: 'nav.label' },
  { view: 'search', label: 'nav.search' },
  { view: 'employees', label: 'nav.employees' },
  { view: 'settings', label: 'nav.settings' },
  // After the first five so their Alt+digit shortcuts stay where clerks learned them.
  { view: 'completeness', label: 'nav.completeness' },
  // Sinkronisasi (issue 5): every role sees where the office's sending stands (Alt+7 for all).
  { view: 'sync', label: 'nav.sync' },
  // Hidden for the others; main refuses them the calls anyway. The daily oversight work
  // (verification, then retention) before the rarer audit and user screens, which run out of digits first.
  { view: 'review', label: 'review.nav', roles: ['verifier', 'admin'] },
  { view: 'retention', label: 'retention.nav', roles: ['verifier', 'admin'] },
  { view: 'activity', label: 'nav.activity', roles: ['verifier', 'admin'] },
  { view: 'users', label: 'nav.users', roles: ['admin'] },
];

/** Alt+1..9 then Alt+0 for the first ten entries a role sees; the rest are reached by Tab. */
const SHORTCUT_DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

/** Search first: the clerk's most frequent question is "where is that document?". */
const START_VIEW: ViewName = 'search';

interface AppProps {
  host: Host;
  info: AppInfo;
  reference: ReferenceData;
  user: SignedInUser;
  onLogout(): void;
  settingsChanged(settings: Settings): void;
}

export function App({ host, info, reference, user, onLogout, settingsChanged }: AppProps) {
  const [view, setView] = useState<AppView>(START_VIEW);
  const [visited, setVisited] = useState<ReadonlySet<AppView>>(() => new Set([START_VIEW]));
  const [viewing, setViewing] = useState<number | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const locale: Locale = info.settings.locale;

  const nav = useMemo(() => NAV.filter((item) => !item.roles || item.roles.includes(user.role)), [user.role]);

  const navigate = useCallback((next: AppView) => {
    setViewing(null);
    setView(next);
    setVisited((seen) => (seen.has(next) ? seen : new Set([...seen, next])));
  }, []);

  const openDocument = useCallback((id: number) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setViewing(id);
  }, []);

  const closeViewer = useCallback(() => {
    setViewing(null);
    // Back to where the clerk was: the result row, the folder entry.
    requestAnimationFrame(() => returnFocus.current?.focus());
  }, []);

  const services = useMemo<Services>(
    () => ({ host, reference, info, openDocument, navigate, settingsChanged }),
    [host, reference, info, openDocument, navigate, settingsChanged],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      // event.code, not key: Alt+digit types other characters on some layouts.
      const digit = /^Digit([0-9])$/.exec(event.code);
      const item = digit ? nav[SHORTCUT_DIGITS.indexOf(digit[1])] : undefined;
      if (!item) return;
      event.preventDefault();
      navigate(item.view);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, nav]);

  useEffect(() => {
    document.title = `${t(locale, NAV.find((item) => item.view === view)!.label)} · ${t(locale, 'app.title')}`;
  }, [locale, view]);

  const views: Record<AppView, (active: boolean) => ReactNode> = {
    import: (active) => <ImportView active={active} />,
    label: (active) => <LabelView active={active} />,
    search: (active) => <SearchView active={active} />,
    employees: (active) => <EmployeesView active={active} />,
    settings: (active) => <SettingsView active={active} />,
    completeness: (active) => <CompletenessView active={active} />,
    activity: (active) => <ActivityView active={active} />,
    users: (active) => <UsersView active={active} />,
    sync: (active) => <SyncView active={active} />,
    review: (active) => <ReviewView active={active} />,
    retention: (active) => <RetentionView active={active} role={user.role} />,
  };

  return (
    <ServicesContext value={services}>
      <div className="app">
        <nav className="nav" aria-label={t(locale, 'nav.aria')}>
          <div className="brand">{t(locale, 'app.title')}</div>
          <ul>
            {nav.map((item, index) => (
              <li key={item.view}>
                <button
                  type="button"
                  className="nav-item"
                  data-testid={`nav-${item.view}`}
                  aria-current={view === item.view && viewing === null ? 'page' : undefined}
                  onClick={() => navigate(item.view)}
                >
                  <span>{t(locale, item.label)}</span>
                  {index < SHORTCUT_DIGITS.length && <kbd>Alt+{SHORTCUT_DIGITS[index]}</kbd>}
                </button>
              </li>
            ))}
          </ul>
          <div className="nav-foot">
            {/* Pending sync work, seen from every view (issue 5). */}
            <SyncIndicator onOpen={() => navigate('sync')} refreshKey={view} />
            <div className="nav-user" data-testid="nav-user">
              <strong>{user.nama}</strong>
              <span>{t(locale, `role.${user.role}`)}</span>
            </div>
            <button type="button" className="nav-logout" onClick={onLogout} data-testid="nav-logout">
              {t(locale, 'session.logout')}
            </button>
            <div>{t(locale, 'app.version', { version: info.version })}</div>
          </div>
        </nav>
        <main className="main">
          {APP_VIEWS.filter((name) => visited.has(name)).map((name) => (
            <section
              key={name}
              className="view"
              hidden={name !== view}
              inert={viewing !== null}
              aria-label={t(locale, NAV.find((item) => item.view === name)!.label)}
            >
              {views[name](name === view && viewing === null)}
            </section>
          ))}
          {viewing !== null && <DocumentViewer key={viewing} id={viewing} onClose={closeViewer} />}
        </main>
      </div>
    </ServicesContext>
  );
}
