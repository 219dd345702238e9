// How a sync run's numbers read to a clerk (the speed and the time left, which main
// measures, and stored times) in the UI's language; and saving an exported report.
import { formatBytes, type Locale } from '../../../../common/i18n';
import type { Translator } from '../../shared/i18n';

export function formatSpeed(bytesPerSecond: number, locale: Locale, tr: Translator): string {
  return tr('sync.progress.speedValue', { bytes: formatBytes(Math.round(bytesPerSecond), locale) });
}

/** 45 dtk, 3 mnt 20 dtk, 1 jam 5 mnt: seconds stop mattering past an hour. */
export function formatDuration(seconds: number, tr: Translator): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return tr('sync.duration.seconds', { s });
  if (s < 3600) return tr('sync.duration.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return tr('sync.duration.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

/** A stored time as the clerk reads it: 24 Nov 16.05 (id) / 24 Nov, 16:05 (en). */
export function formatTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
