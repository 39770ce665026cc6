// The day close's arithmetic on dates and the float's rows; the figures
// themselves come from the core (`Store::day_close`).
import { toHalfWidth } from '../../lib/input';
import type { FloatParts, FloatReport } from '../../lib/types';

/** `date` (YYYY-MM-DD) moved by `days`, calendar-wise. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * A typed shop day as YYYY-MM-DD: 2026-11-27, 2026/11/27, 2026.11.27 or
 * 20261127, full-width digits too; null when it is no calendar day.
 */
export function parseShopDay(text: string): string | null {
  const match = dayShape(text);
  if (!match) return null;
  const [y, m, d] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 2000 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function dayShape(text: string): RegExpExecArray | null {
  const cleaned = toHalfWidth(text).trim();
  return /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(cleaned) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(cleaned);
}

/** Whether `text` is written like a date, whether or not the day exists (2026-02-30). */
export function looksLikeDay(text: string): boolean {
  return dayShape(text) !== null;
}

/** The day of the week of `date` (YYYY-MM-DD) in `locale`: 週五, 周五, Fri. */
export function weekday(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export type FloatRowKey = 'opening' | 'topUps' | 'spends' | 'refunds' | 'forfeits' | 'adjustments' | 'voids' | 'closing';

/** The float from opening to closing; movements that did not happen are left out. */
export function floatRows(f: FloatReport): { key: FloatRowKey; parts: FloatParts }[] {
  const moves: FloatRowKey[] = ['topUps', 'spends', 'refunds', 'forfeits', 'adjustments', 'voids'];
  return [
    { key: 'opening', parts: f.opening },
    ...moves.filter((key) => f[key].paidMinor !== 0 || f[key].bonusMinor !== 0).map((key) => ({ key, parts: f[key] })),
    { key: 'closing', parts: f.closing },
  ];
}

/** Whether opening plus the movements comes to closing, paid and bonus each. */
export function floatBalances(f: FloatReport): boolean {
  const moves = [f.topUps, f.spends, f.refunds, f.forfeits, f.adjustments, f.voids];
  const sum = (pick: (p: FloatParts) => number) => moves.reduce((acc, p) => acc + pick(p), 0);
  return (
    f.opening.paidMinor + sum((p) => p.paidMinor) === f.closing.paidMinor &&
    f.opening.bonusMinor + sum((p) => p.bonusMinor) === f.closing.bonusMinor
  );
}
