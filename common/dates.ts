// Calendar dates as plain values (no time zone): 'YYYY-MM-DD' strings and {y, m, d}.

export interface CalendarDate {
  y: number;
  m: number;
  d: number;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

export function isRealDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Compares two dates: negative, zero or positive. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/** The day someone born on `birth` turns `years` old; 29 February rolls to 1 March. */
export function anniversary(birth: CalendarDate, years: number): CalendarDate {
  const y = birth.y + years;
  if (birth.m === 2 && birth.d === 29 && !isLeapYear(y)) return { y, m: 3, d: 1 };
  return { y, m: birth.m, d: birth.d };
}

export function formatIsoDate(date: CalendarDate): string {
  return `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

/** Parses 'YYYY-MM-DD' into a real calendar date, or null. */
export function parseIsoDate(text: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(y, m, d) ? { y, m, d } : null;
}

/**
 * Parses the date forms clerks and spreadsheets use: ISO 'YYYY-MM-DD', Indonesian
 * 'DD-MM-YYYY' / 'DD/MM/YYYY' / 'DD.MM.YYYY'. Returns null for anything else.
 */
export function parseLooseDate(text: string): CalendarDate | null {
  const iso = parseIsoDate(text);
  if (iso) return iso;
  const match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text.trim());
  if (!match) return null;
  const [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(y, m, d) ? { y, m, d } : null;
}

export function todayOf(now: Date): CalendarDate {
  return { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
}
