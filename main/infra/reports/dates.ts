// Dates as the clerk's own clock shows them, for file names and report footers: local time,
// not UTC, so a report made at 06:30 in Jakarta is dated that day.
function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** YYYY-MM-DD in local time. */
export function localDate(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** YYYY-MM-DD HH:MM in local time. */
export function localDateTime(at: Date): string {
  return `${localDate(at)} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
