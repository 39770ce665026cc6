// The unusual-activity panel without the panel: the rules it asks the core
// to apply, and the findings grouped by shop day and staff member.
import type { Currency } from '../../lib/bindings/Currency';
import type { Unusual } from '../../lib/bindings/Unusual';
import type { UnusualRules } from '../../lib/bindings/UnusualRules';

/** Days the panel looks back at first (like `regulars report unusual`). */
export const UNUSUAL_DAYS = 30;
/** A refund or correction of this much (whole units of the shop's currency) or more is named. */
export const UNUSUAL_AMOUNT = 1000;
/** More receipts than this for one member in one shop day are named. */
export const UNUSUAL_PER_MEMBER = 5;

/** The CLI's defaults, in the minor units of the shop's currency. */
export function unusualRules(currency: Currency): UnusualRules {
  return { amountMinor: UNUSUAL_AMOUNT * 10 ** currency.minorDigits, perMemberPerDay: UNUSUAL_PER_MEMBER };
}

export interface UnusualGroup {
  day: string;
  staff: string;
  items: Unusual[];
}

/** The findings per day (newest first), then staff member, in the core's order within each. */
export function groupUnusual(found: Unusual[]): UnusualGroup[] {
  const groups: UnusualGroup[] = [];
  for (const u of found) {
    const last = groups.find((g) => g.day === u.day && g.staff === u.staff);
    if (last) last.items.push(u);
    else groups.push({ day: u.day, staff: u.staff, items: [u] });
  }
  return groups.sort((a, b) => (a.day === b.day ? 0 : a.day < b.day ? 1 : -1));
}
