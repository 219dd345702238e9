import { describe, expect, it } from 'vitest';
import { t } from '../../../../common/i18n';
import type { Translator } from '../../shared/i18n';
import { formatDuration } from './progress';
import { checkDraft } from './settingsDraft';

const draft = { concurrency: '2', bandwidth: '', timeout: '300', attempts: '5', windowStart: '', windowEnd: '' };

describe('sync settings form', () => {
  it('turns empty cap and window into "none"', () => {
    expect(checkDraft(draft)).toEqual({
      ok: true,
      patch: { syncConcurrency: 2, syncBandwidthKbps: null, syncFileTimeoutSec: 300, syncMaxAttempts: 5, syncWindow: null },
    });
  });

  it('keeps a cap and a window that are given', () => {
    const checked = checkDraft({ ...draft, bandwidth: ' 512 ', windowStart: '16:00', windowEnd: '18:30' });
    expect(checked).toMatchObject({ ok: true, patch: { syncBandwidthKbps: 512, syncWindow: { start: '16:00', end: '18:30' } } });
  });

  it('names the field and the range the contract would refuse', () => {
    expect(checkDraft({ ...draft, concurrency: '5' })).toMatchObject({ ok: false, field: 'concurrency', params: { min: 1, max: 4 } });
    expect(checkDraft({ ...draft, bandwidth: '10' })).toMatchObject({ ok: false, field: 'bandwidth', params: { min: 64 } });
    expect(checkDraft({ ...draft, timeout: '2,5' })).toMatchObject({ ok: false, field: 'timeout' });
    expect(checkDraft({ ...draft, attempts: '' })).toMatchObject({ ok: false, field: 'attempts' });
  });

  it('wants both ends of the window, as HH:MM', () => {
    expect(checkDraft({ ...draft, windowStart: '16:00' })).toMatchObject({ ok: false, field: 'windowEnd', key: 'sync.settings.windowBoth' });
    expect(checkDraft({ ...draft, windowStart: '24:00', windowEnd: '01:00' })).toMatchObject({ ok: false, field: 'windowStart', key: 'sync.settings.time' });
  });
});

describe('time left', () => {
  const tr: Translator = (key, params) => t('id', key, params);
  it('reads as seconds, minutes and seconds, or hours and minutes', () => {
    expect(formatDuration(45, tr)).toBe('45 dtk');
    expect(formatDuration(200, tr)).toBe('3 mnt 20 dtk');
    expect(formatDuration(3900, tr)).toBe('1 jam 5 mnt');
  });
});
