// The checkout's coupons and points as typed: reading the points field and
// the sums shown before confirming. The core decides what a coupon takes
// off (quoted) and checks every redemption when the sale is recorded.
import { toHalfWidth } from '../../lib/input';

/** Points typed at the till: empty is none; a whole number, full-width digits too; otherwise `null`. */
export function parsePoints(text: string): number | null {
  const folded = toHalfWidth(text).trim();
  if (folded === '') return 0;
  if (!/^\d+$/.test(folded)) return null;
  const points = Number(folded);
  return Number.isSafeInteger(points) ? points : null;
}

/** What is left to pay after the coupons' quoted discount and the points' value (never below 0, for display). */
export function dueAfterDiscounts(totalMinor: number, couponMinor: number, pointsMinor: number): number {
  return Math.max(0, totalMinor - couponMinor - pointsMinor);
}

/** `codes` with `code` added or, when `on` is false, taken out. */
export function toggleCode(codes: string[], code: string, on: boolean): string[] {
  const without = codes.filter((c) => c !== code);
  return on ? [...without, code] : without;
}
