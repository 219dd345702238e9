// Where the outbox stands (sync.status), kept fresh for as long as a component shows it:
// asked once, then again after sync progress and document changes. Both come in bursts
// (a progress event per chunk, a change per imported document), so the question is asked
// at most once per interval. Events only come from this process, and a saved label sends
// none: the status is also asked when the window gets focus and when `refreshKey` changes
// (the shell passes the current view). Never on a timer: every call counts as the user's
// activity for the idle lock, and a poll would keep an abandoned session open.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../../common/contract';
import { useServices } from '../../shared/services';

const REFRESH_MS = 700;

export interface SyncStatusState {
  status: SyncStatus | null;
  error: string | null;
  reload(): Promise<void>;
}

export function useSyncStatus(enabled: boolean, refreshKey?: unknown): SyncStatusState {
  const { host } = useServices();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    const result = await host.call('sync.status', {});
    if (mine !== generation.current) return;
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(null);
    setStatus(result.value);
  }, [host]);

  useEffect(() => {
    if (!enabled) return;
    void reload();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = host.on((name, _payload) => {
      if (name !== 'sync.onDidProgress' && name !== 'documents.onDidChange') return;
      timer ??= setTimeout(() => {
        timer = undefined;
        void reload();
      }, REFRESH_MS);
    });
    const onFocus = () => void reload();
    window.addEventListener('focus', onFocus);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('focus', onFocus);
      off();
    };
  }, [host, enabled, reload]);

  useEffect(() => {
    if (enabled && refreshKey !== undefined) void reload();
  }, [enabled, refreshKey, reload]);

  return { status, error, reload };
}
