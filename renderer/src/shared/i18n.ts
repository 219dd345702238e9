// The UI's language: the current locale as React context, `useT` for catalog text, and the
// number and date styles of that locale. Every visible string comes through here.
import { createContext, useCallback, useContext } from 'react';
import { t, type Locale, type MessageKey, type MessageParams } from '../../../common/i18n';

export const LocaleContext = createContext<Locale>('id');

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function useT(): Translator {
  const locale = useLocale();
  return useCallback((key, params) => t(locale, key, params), [locale]);
}

function tag(locale: Locale): string {
  return locale === 'id' ? 'id-ID' : 'en-GB';
}

/** 1.000 in Indonesian, 1,000 in English. */
export function formatNumber(value: number, locale: Locale): string {
  return value.toLocaleString(tag(locale));
}

/** A calendar date 'YYYY-MM-DD' as people read it: 1 Mar 2015. Anything else is shown as is. */
export function formatDate(iso: string | null, locale: Locale): string {
  if (!iso) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toLocaleDateString(tag(locale), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
