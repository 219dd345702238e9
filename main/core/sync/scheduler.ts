// When sync starts on its own (issue 5): once a day inside the office's end-of-day window,
// and when the link to the central server comes back while work is waiting. `decide` is
// the rule, a pure function of what the driver knows; the driver ticks on a timer port,
// probes the server (ops.health) only while something waits to go, and starts a run with
// the trigger that the stored report will name. It never starts while a run is going,
// while the clerk has paused sync, or without a signed-in account that has a server session.
import type { SyncTrigger } from '../../../common/contract';
import type { Clock } from '../ports';

export interface SyncWindow {
  start: string; // HH:MM, local
  end: string;
}

/** Local time of day and calendar day of an instant (the OS time zone; tests pass UTC). */
export interface LocalTime {
  minutes(at: Date): number;
  /** YYYY-MM-DD */
  day(at: Date): string;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const systemLocalTime: LocalTime = {
  minutes: (at) => at.getHours() * 60 + at.getMinutes(),
  day: (at) => `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
};

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The office day a window opening belongs to, when `at` is inside the window; else null. A
 * window that crosses midnight (22:00-02:00) belongs to the day it opened.
 */
export function windowDay(window: SyncWindow, at: Date, local: LocalTime): string | null {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const now = local.minutes(at);
  if (start === end) return null;
  if (start < end) return now >= start && now < end ? local.day(at) : null;
  if (now >= start) return local.day(at);
  if (now < end) return local.day(new Date(at.getTime() - 24 * 60 * 60 * 1000));
  return null;
}

export interface SchedulerState {
  now: Date;
  window: SyncWindow | null;
  /** A signed-in account with a server session to send with. */
  canSync: boolean;
  running: boolean;
  paused: boolean;
  /** Documents waiting to go (in the outbox or ready and not queued). */
  pending: boolean;
  /** The office day of the last scheduled run. */
  lastScheduledDay: string | null;
  /** The server answered after failing to: the link came back. */
  linkBack: boolean;
}

export function decide(state: SchedulerState, local: LocalTime = systemLocalTime): SyncTrigger | null {
  if (!state.canSync || state.running || state.paused) return null;
  const day = state.window ? windowDay(state.window, state.now, local) : null;
  if (day !== null && day !== state.lastScheduledDay) return 'schedule';
  if (state.linkBack && state.pending) return 'link';
  return null;
}

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface SchedulerDeps {
  clock: Clock;
  timers: Timers;
  local?: LocalTime;
  intervalMs?: number;
  window(): SyncWindow | null;
  /** What the profile knows now. */
  state(): { canSync: boolean; running: boolean; paused: boolean; pending: boolean };
  /** Does the server answer (ops.health)? */
  probe(): Promise<boolean>;
  /** When the last scheduled run started (from the stored reports), so a restart does not run twice a day. */
  lastScheduled(): Date | null;
  /** Starts a run; what it answers is its own business (stored as its report). */
  start(trigger: SyncTrigger): Promise<unknown>;
  onError?(error: unknown): void;
  /** Called on every tick first, whether or not sync may run (other once-a-day work rides on this timer). */
  onTick?(): void;
}

export function createSyncScheduler(deps: SchedulerDeps) {
  const local = deps.local ?? systemLocalTime;
  const intervalMs = deps.intervalMs ?? 60_000;
  let handle: unknown = null;
  let stopped = true;
  let linkDown = false;
  let lastScheduledDay: string | null | undefined;

  async function tick(): Promise<SyncTrigger | null> {
    try {
      deps.onTick?.();
    } catch (error) {
      deps.onError?.(error);
    }
    const state = deps.state();
    if (!state.canSync) return null;
    if (lastScheduledDay === undefined) {
      const last = deps.lastScheduled();
      const window = deps.window();
      lastScheduledDay = last && window ? windowDay(window, last, local) : null;
    }
    let linkBack = false;
    // Only a waiting queue is worth the traffic of a probe.
    if (state.pending && !state.running) {
      const up = await deps.probe().catch(() => false);
      linkBack = up && linkDown;
      linkDown = !up;
    }
    const now = deps.clock.now();
    const trigger = decide({ ...state, now, window: deps.window(), lastScheduledDay, linkBack }, local);
    if (trigger === 'schedule') lastScheduledDay = windowDay(deps.window()!, now, local);
    if (trigger) await deps.start(trigger).catch((error: unknown) => deps.onError?.(error));
    return trigger;
  }

  function loop(): void {
    handle = deps.timers.set(() => {
      void tick()
        .catch((error: unknown) => deps.onError?.(error))
        .finally(() => {
          if (!stopped) loop();
        });
    }, intervalMs);
  }

  return {
    tick,
    start(): void {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    stop(): void {
      stopped = true;
      if (handle !== null) deps.timers.clear(handle);
      handle = null;
    },
  };
}

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;
