// When sync starts on its own, on a fake clock in UTC: once per office day inside the
// window (also one that crosses midnight, and not again after a restart), when the link
// comes back while work waits, and never without an account to send as, during a run, or
// while the clerk has paused.
import { describe, expect, it } from 'vitest';
import type { SyncTrigger } from '../../../common/contract';
import { createSyncScheduler, decide, windowDay, type LocalTime, type SchedulerState } from './scheduler';

const utc: LocalTime = { minutes: (at) => at.getUTCHours() * 60 + at.getUTCMinutes(), day: (at) => at.toISOString().slice(0, 10) };
const at = (iso: string) => new Date(`${iso}Z`);
const WINDOW = { start: '16:00', end: '18:00' };

const base: SchedulerState = { now: at('2026-11-24T16:30'), window: WINDOW, canSync: true, running: false, paused: false, pending: true, lastScheduledDay: null, linkBack: false };

describe('decide', () => {
  it('starts once per day inside the window', () => {
    expect(decide({ ...base, now: at('2026-11-24T15:59') }, utc)).toBeNull();
    expect(decide(base, utc)).toBe('schedule');
    expect(decide({ ...base, lastScheduledDay: '2026-11-24' }, utc)).toBeNull();
    expect(decide({ ...base, now: at('2026-11-24T18:00') }, utc)).toBeNull();
    expect(decide({ ...base, now: at('2026-11-25T16:00'), lastScheduledDay: '2026-11-24' }, utc)).toBe('schedule');
  });

  it('a window across midnight belongs to the day it opened', () => {
    const late = { start: '22:00', end: '02:00' };
    expect(windowDay(late, at('2026-11-24T23:00'), utc)).toBe('2026-11-24');
    expect(windowDay(late, at('2026-11-25T01:30'), utc)).toBe('2026-11-24');
    expect(windowDay(late, at('2026-11-25T02:00'), utc)).toBeNull();
    expect(decide({ ...base, window: late, now: at('2026-11-25T01:30'), lastScheduledDay: '2026-11-24' }, utc)).toBeNull();
  });

  it('starts when the link comes back and work is waiting', () => {
    const outside = { ...base, now: at('2026-11-24T10:00') };
    expect(decide({ ...outside, linkBack: true }, utc)).toBe('link');
    expect(decide({ ...outside, linkBack: true, pending: false }, utc)).toBeNull();
    expect(decide({ ...outside, window: null, linkBack: true }, utc)).toBe('link');
    expect(decide({ ...outside, linkBack: false }, utc)).toBeNull();
  });

  it('never starts without an account with a server session, during a run, or while paused', () => {
    expect(decide({ ...base, canSync: false }, utc)).toBeNull();
    expect(decide({ ...base, running: true }, utc)).toBeNull();
    expect(decide({ ...base, paused: true, linkBack: true }, utc)).toBeNull();
  });
});

function driver(opts: { now: string; last?: string | null; probes?: boolean[]; state?: Partial<ReturnType<Parameters<typeof createSyncScheduler>[0]['state']>> }) {
  let now = at(opts.now).getTime();
  const started: SyncTrigger[] = [];
  const probes = [...(opts.probes ?? [])];
  let probed = 0;
  const timers: { callback: () => void; ms: number }[] = [];
  const state = { canSync: true, running: false, paused: false, pending: true, ...opts.state };
  const scheduler = createSyncScheduler({
    clock: { now: () => new Date(now) },
    timers: { set: (callback, ms) => timers.push({ callback, ms }) - 1, clear: (handle) => timers.splice(handle as number, 1) },
    local: utc,
    intervalMs: 60_000,
    window: () => WINDOW,
    state: () => state,
    probe: async () => {
      probed++;
      return probes.shift() ?? true;
    },
    lastScheduled: () => (opts.last ? at(opts.last) : null),
    start: async (trigger) => {
      started.push(trigger);
    },
  });
  return { scheduler, started, state, timers, probed: () => probed, advance: (ms: number) => (now += ms) };
}

describe('createSyncScheduler', () => {
  it('runs the scheduled run once a day, and a restart after it does not run it again', async () => {
    const d = driver({ now: '2026-11-24T16:05' });
    expect(await d.scheduler.tick()).toBe('schedule');
    d.advance(60_000);
    expect(await d.scheduler.tick()).toBeNull();
    expect(d.started).toEqual(['schedule']);

    const restarted = driver({ now: '2026-11-24T16:30', last: '2026-11-24T16:05' });
    expect(await restarted.scheduler.tick()).toBeNull();
    restarted.advance(24 * 60 * 60 * 1000);
    expect(await restarted.scheduler.tick()).toBe('schedule');
  });

  it('starts a run when the health probe answers again after failing, only while work is waiting', async () => {
    const d = driver({ now: '2026-11-24T10:00', probes: [false, false, true, true] });
    expect(await d.scheduler.tick()).toBeNull(); // down
    expect(await d.scheduler.tick()).toBeNull(); // still down
    expect(await d.scheduler.tick()).toBe('link'); // back
    expect(await d.scheduler.tick()).toBeNull(); // up, and was up
    expect(d.started).toEqual(['link']);

    d.state.pending = false;
    const before = d.probed();
    expect(await d.scheduler.tick()).toBeNull();
    expect(d.probed()).toBe(before); // nothing waits: no traffic
  });

  it('ticks on its timer until stopped (logout, close)', async () => {
    const d = driver({ now: '2026-11-24T10:00', state: { pending: false } });
    d.scheduler.start();
    expect(d.timers).toHaveLength(1);
    expect(d.timers[0].ms).toBe(60_000);
    d.scheduler.stop();
    expect(d.timers).toHaveLength(0);
  });

  it('does nothing without an account to send as', async () => {
    const d = driver({ now: '2026-11-24T16:05', probes: [false, true], state: { canSync: false } });
    expect(await d.scheduler.tick()).toBeNull();
    expect(await d.scheduler.tick()).toBeNull();
    expect(d.started).toEqual([]);
    expect(d.probed()).toBe(0);
  });
});
