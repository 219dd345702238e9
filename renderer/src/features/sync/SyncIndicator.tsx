// The pending-work indicator in the navigation, seen from every view: how many documents
// have not reached the central server yet (queued, or ready and not queued), a marker while
// a run sends, how many could not be sent, and that a clerk's pause holds the automatic runs.
// Pressing it opens Sinkronisasi.
import { formatNumber, useLocale, useT } from '../../shared/i18n';
import { useSyncStatus } from './useSyncStatus';

/** `refreshKey`: asked again when it changes (the shell passes the current view). */
export function SyncIndicator({ onOpen, refreshKey }: { onOpen(): void; refreshKey?: unknown }) {
  const tr = useT();
  const locale = useLocale();
  const { status } = useSyncStatus(true, refreshKey);
  if (!status) return null;
  const waiting = status.pending + status.readyNotQueued;
  const unsent = status.problems.length;
  const text = [
    status.running ? tr('sync.indicator.running') : null,
    !status.running && status.paused ? tr('sync.indicator.paused') : null,
    waiting > 0 ? tr('sync.indicator.waiting', { count: formatNumber(waiting, locale) }) : null,
    unsent > 0 ? tr('sync.indicator.unsent', { count: formatNumber(unsent, locale) }) : null,
  ].filter((part) => part !== null);
  return (
    <button
      type="button"
      className="nav-item sync-indicator"
      data-testid="sync-indicator"
      data-running={status.running ? 'true' : 'false'}
      data-paused={status.paused ? 'true' : 'false'}
      data-waiting={waiting}
      aria-label={`${tr('nav.sync')}: ${text.length > 0 ? text.join(', ') : tr('sync.indicator.clear')}`}
      onClick={onOpen}
    >
      <span aria-hidden="true">{status.running ? '⟳' : status.paused ? '⏸' : waiting > 0 || unsent > 0 ? '●' : '✓'}</span>
      <span>{text.length > 0 ? text.join(' · ') : tr('sync.indicator.clear')}</span>
    </button>
  );
}
