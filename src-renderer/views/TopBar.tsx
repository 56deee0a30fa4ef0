// The app's header: name, the pages, the unacknowledged-alert count, and the theme switch.

import type { Settings } from '../platform/settings';
import type { AppStore, Route } from '../state/app-store';

const PAGES: { view: Route['view']; label: string }[] = [
  { view: 'overview', label: 'Overview' },
  { view: 'alerts', label: 'Alerts' },
  { view: 'servers', label: 'Servers' },
  { view: 'discovery', label: 'Discovery' },
  { view: 'rules', label: 'Rules' },
];

export function TopBar({ store }: { store: AppStore }) {
  const current = store.route.view === 'host' ? 'overview' : store.route.view;
  const unacknowledged = store.book.unacknowledged(Date.now());
  const setTheme = (theme: Settings['theme']): void => void store.saveSettings({ ...store.settings, theme });
  return (
    <header className="top-bar">
      <div className="brand">
        <svg viewBox="0 0 24 24" className="brand-mark" aria-hidden="true">
          <path d="M3 13h4l2.5-6 4 12 2.5-6H21" />
        </svg>
        <span>FleetWatch</span>
      </div>
      <nav className="nav" aria-label="Pages">
        {PAGES.map((page) => (
          <button key={page.view} type="button" className="nav-item" aria-current={current === page.view ? 'page' : undefined} onClick={() => store.navigate({ view: page.view } as Route)}>
            {page.label}
            {page.view === 'alerts' && unacknowledged > 0 && (
              <span className="count-badge" aria-label={`${unacknowledged} unacknowledged`}>
                {unacknowledged}
              </span>
            )}
          </button>
        ))}
      </nav>
      <label className="theme-switch">
        <span className="visually-hidden">Theme</span>
        <select value={store.settings.theme} onChange={(event) => setTheme(event.target.value as Settings['theme'])} aria-label="Theme">
          <option value="system">System theme</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </header>
  );
}
