// The currencies and time zones the app offers, by name in the language on
// screen: 新臺幣 (TWD), 臺北 (UTC+8). The names are a small translated table
// (`setup.currencies.*`, `zones.*`) rather than `Intl.DisplayNames`, so every
// webview (WebKitGTK, WebView2, WKWebView) shows the same words.
import { t } from '../i18n/i18n.svelte';

/** Currencies of the shops Regulars is made for first, then others. */
export const CURRENCIES = ['TWD', 'HKD', 'CNY', 'MOP', 'SGD', 'MYR', 'JPY', 'KRW', 'USD', 'EUR', 'GBP', 'AUD', 'CAD'];

/** Time zones offered by name, the shops Regulars is made for first. */
export const ZONES = [
  'Asia/Taipei',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Shanghai',
  'Asia/Singapore',
  'Asia/Kuala_Lumpur',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
  'America/Toronto',
  'America/Vancouver',
];

/** Every other zone the webview knows, by its IANA name. */
export function otherZones(): string[] {
  const all: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.filter((zone) => !ZONES.includes(zone));
}

/** A translation, or `null` when the table has none. */
function named(key: string): string | null {
  const text = t(key);
  return text === key ? null : text;
}

/** `新臺幣 (TWD)`; an unknown code as itself. */
export function currencyName(code: string): string {
  const name = named(`setup.currencies.${code}`);
  return name ? `${name} (${code})` : code;
}

/** How far `timeZone`'s clock is ahead of UTC at `utcMs`, in ms; throws for a zone the webview does not know. */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return local - Math.floor(utcMs / 1000) * 1000;
}

/** How far `zone`'s clock is from UTC at `atMs`, as `UTC+8`, `UTC+5:30`, `UTC-4`; `null` for a zone the webview does not know. */
export function utcOffset(zone: string, atMs: number = Date.now()): string | null {
  let minutes: number;
  try {
    minutes = Math.round(zoneOffsetMs(atMs, zone) / 60_000);
  } catch {
    return null;
  }
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  return `UTC${sign}${hours}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
}

/** `臺北 (UTC+8)`; a zone without a translated name by its IANA name (`America/Chicago (UTC-6)`). */
export function zoneName(zone: string, atMs: number = Date.now()): string {
  const name = named(`zones.${zone}`) ?? zone.replace(/_/g, ' ');
  const offset = utcOffset(zone, atMs);
  return offset ? `${name} (${offset})` : name;
}
