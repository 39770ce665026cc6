// The day close's arithmetic on dates and the float's rows; the figures
// themselves come from the core (`Store::day_close`).
import type { FloatParts } from '../../lib/bindings/FloatParts';
import type { FloatReport } from '../../lib/bindings/FloatReport';

/** `date` (YYYY-MM-DD) moved by `days`, calendar-wise. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The day of the week of `date` (YYYY-MM-DD) in `locale`: 週五, 周五, Fri. */
export function weekday(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export type FloatRowKey = 'opening' | 'topUps' | 'spends' | 'refunds' | 'forfeits' | 'adjustments' | 'voids' | 'broughtIn' | 'closing';

/** The float from opening to closing; movements that did not happen are left out. */
export function floatRows(f: FloatReport): { key: FloatRowKey; parts: FloatParts }[] {
  const moves: FloatRowKey[] = ['topUps', 'spends', 'refunds', 'forfeits', 'adjustments', 'voids', 'broughtIn'];
  return [
    { key: 'opening', parts: f.opening },
    ...moves.filter((key) => f[key].paidMinor !== 0 || f[key].bonusMinor !== 0).map((key) => ({ key, parts: f[key] })),
    { key: 'closing', parts: f.closing },
  ];
}

/** Whether opening plus the movements comes to closing, paid and bonus each. */
export function floatBalances(f: FloatReport): boolean {
  const moves = [f.topUps, f.spends, f.refunds, f.forfeits, f.adjustments, f.voids, f.broughtIn];
  const sum = (pick: (p: FloatParts) => number) => moves.reduce((acc, p) => acc + pick(p), 0);
  return (
    f.opening.paidMinor + sum((p) => p.paidMinor) === f.closing.paidMinor &&
    f.opening.bonusMinor + sum((p) => p.bonusMinor) === f.closing.bonusMinor
  );
}
