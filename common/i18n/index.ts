// The i18n catalog: Bahasa Indonesia first, English second. `t` fills {placeholders}.
import { en } from './en';
import { id, type MessageKey as DataKey } from './id';
import { uiEn } from './ui-en';
import { uiId, type UiKey } from './ui-id';

export type MessageKey = DataKey | UiKey;
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogs: Record<Locale, Record<MessageKey, string>> = { id: { ...id, ...uiId }, en: { ...en, ...uiEn } };

export type MessageParams = Record<string, string | number>;

export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[locale][key] ?? catalogs.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Picks the text of a `{ id, en }` value from reference data. */
export function pick(text: { id: string; en: string }, locale: Locale): string {
  return text[locale];
}

/** Human file size in the locale's number style: 1,5 MB / 1.5 MB. */
export function formatBytes(bytes: number, locale: Locale): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : value.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US', { maximumFractionDigits: 1 });
  return `${text} ${units[unit]}`;
}
