// The points rules' form: the multipliers offered, whole numbers as typed,
// and the example of when points earned today lapse (the core decides;
// this only shows the rule in words).
import { toHalfWidth } from '../../lib/input';

/** Multipliers offered, in percent of the usual rate. */
export const MULTIPLIERS = [100, 150, 200, 300, 500];

/** A whole number as typed (full-width digits too); `null` when it is not one. */
export function readWhole(text: string): number | null {
  const cleaned = toHalfWidth(text).trim();
  if (!/^\d{1,9}$/.test(cleaned)) return null;
  return Number(cleaned);
}

/**
 * The last day points earned on `today` (YYYY-MM-DD) can be used when they
 * lapse `months` later: the end of that month, as the core's rule says.
 */
export function lastUsableDay(today: string, months: number): string {
  const [year, month] = today.split('-').map(Number);
  // Month index of the month `months` later, then the day before the first of the one after.
  const target = month - 1 + months;
  const end = new Date(Date.UTC(year + Math.floor(target / 12), (target % 12) + 1, 0));
  return end.toISOString().slice(0, 10);
}
