// Times arrive as UTC milliseconds and are shown in the shop's time zone.

export function formatDateTime(utcMs: number, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(utcMs));
}

export function formatDate(utcMs: number, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(utcMs));
}

/**
 * "2026-11-27 01:48" on the shop's clock, whatever the UI language: for
 * tables whose dates are ISO days (the owner's lists), so a list reads one
 * way. (Swedish is the locale whose format is ISO 8601.)
 */
export function formatIsoDateTime(utcMs: number, timeZone: string): string {
  return formatDateTime(utcMs, timeZone, 'sv-SE');
}
