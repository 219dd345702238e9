// The sync settings form's text, checked against the contract's bounds before main is asked:
// the admin hears which field is wrong and what it accepts, and an empty bandwidth or window
// means "none" (no cap, no schedule).
import type { Settings } from '../../../../common/contract';
import type { MessageKey } from '../../../../common/i18n';

type SyncSettingsPatch = Pick<Settings, 'syncConcurrency' | 'syncBandwidthKbps' | 'syncFileTimeoutSec' | 'syncMaxAttempts' | 'syncWindow'>;

export interface Draft {
  concurrency: string;
  bandwidth: string;
  timeout: string;
  attempts: string;
  windowStart: string;
  windowEnd: string;
}

/** The contract's bounds (common/contract.ts Settings), said to the admin before main would refuse. */
const BOUNDS = {
  concurrency: [1, 4],
  bandwidth: [64, 1_000_000],
  timeout: [10, 3600],
  attempts: [1, 20],
} as const;

export function draftOf(settings: Settings): Draft {
  return {
    concurrency: String(settings.syncConcurrency),
    bandwidth: settings.syncBandwidthKbps === null ? '' : String(settings.syncBandwidthKbps),
    timeout: String(settings.syncFileTimeoutSec),
    attempts: String(settings.syncMaxAttempts),
    windowStart: settings.syncWindow?.start ?? '',
    windowEnd: settings.syncWindow?.end ?? '',
  };
}

type Checked = { ok: true; patch: SyncSettingsPatch } | { ok: false; field: keyof Draft; key: MessageKey; params: Record<string, number> };

export function checkDraft(draft: Draft): Checked {
  const whole = (field: keyof typeof BOUNDS, text: string): number | null => {
    const value = Number(text.trim());
    const [min, max] = BOUNDS[field];
    return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
  };
  const range = (field: keyof typeof BOUNDS) => ({ min: BOUNDS[field][0], max: BOUNDS[field][1] });
  const concurrency = whole('concurrency', draft.concurrency);
  if (concurrency === null) return { ok: false, field: 'concurrency', key: 'sync.settings.outOfRange', params: range('concurrency') };
  const bandwidth = draft.bandwidth.trim() === '' ? null : whole('bandwidth', draft.bandwidth);
  if (draft.bandwidth.trim() !== '' && bandwidth === null) return { ok: false, field: 'bandwidth', key: 'sync.settings.outOfRange', params: range('bandwidth') };
  const timeout = whole('timeout', draft.timeout);
  if (timeout === null) return { ok: false, field: 'timeout', key: 'sync.settings.outOfRange', params: range('timeout') };
  const attempts = whole('attempts', draft.attempts);
  if (attempts === null) return { ok: false, field: 'attempts', key: 'sync.settings.outOfRange', params: range('attempts') };
  const start = draft.windowStart.trim();
  const end = draft.windowEnd.trim();
  if ((start === '') !== (end === '')) return { ok: false, field: start === '' ? 'windowStart' : 'windowEnd', key: 'sync.settings.windowBoth', params: {} };
  const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (start !== '' && !hhmm.test(start)) return { ok: false, field: 'windowStart', key: 'sync.settings.time', params: {} };
  if (end !== '' && !hhmm.test(end)) return { ok: false, field: 'windowEnd', key: 'sync.settings.time', params: {} };
  return {
    ok: true,
    patch: { syncConcurrency: concurrency, syncBandwidthKbps: bandwidth, syncFileTimeoutSec: timeout, syncMaxAttempts: attempts, syncWindow: start === '' ? null : { start, end } },
  };
}
