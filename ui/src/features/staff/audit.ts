// The audit log on screen: its kinds for the filter, a shop day as UTC
// bounds, and the rows as CSV with the screen's headings and times.
import { t } from '../../i18n/i18n.svelte';
import { formatIsoDateTime } from '../../lib/time';
import { zoneOffsetMs } from '../../lib/places';
import type { Act } from '../../lib/bindings/Act';
import type { AuditEntry } from '../../lib/bindings/AuditEntry';

/** Every kind of row, in the order the filter lists them (crate::staff::Act::ALL). */
export const ACTS: readonly Act[] = [
  'sale', 'issueCoupon', 'couponCampaign', 'couponOffers', 'pointsSettings', 'autoCoupons', 'referrals', 'topUp', 'redeem', 'void', 'refund', 'adjust', 'registerMember', 'importMembers', 'editMember', 'archiveMember', 'eraseMember',
  'countDrawer', 'contact', 'products', 'paymentMethods', 'programs', 'bonusRules', 'settings', 'ownerSettings', 'tiers',
  'tierReview', 'templates', 'rebuildAggregates', 'staff', 'staffPolicy', 'demo', 'setUp', 'backup', 'restore',
  'ownerLists', 'export', 'signIn', 'signOut', 'pinFailed', 'pinLocked', 'refused',
];

/** Midnight of `day` (YYYY-MM-DD) on the shop's clock, in UTC milliseconds. */
function shopMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - zoneOffsetMs(guess, timeZone);
  // Once more, for a day whose offset differs from the guess's (a DST change).
  return guess - zoneOffsetMs(first, timeZone);
}

/** The shop day `day` (YYYY-MM-DD) as UTC bounds: from its midnight (included) to the next (excluded). */
export function dayBounds(day: string, timeZone: string): { from: number; to: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = match.slice(1).map(Number);
  return { from: shopMidnight(year, month, date, timeZone), to: shopMidnight(year, month, date + 1, timeZone) };
}

/** A row's kind in words. */
export function kindText(kind: string): string {
  const key = `staff.acts.${kind}`;
  const text = t(key);
  return text === key ? kind : text;
}

function cell(value: string | number | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV (CRLF lines), headings in the language on screen, times on the shop's clock. */
export function auditCsv(rows: AuditEntry[], timeZone: string): string {
  const head = ['number', 'at', 'staff', 'approver', 'kind', 'receipt', 'member', 'detail'].map((h) => t(`staff.audit.columns.${h}`));
  const lines = rows.map((r) =>
    [r.id, formatIsoDateTime(r.at, timeZone), r.staffName, r.approverName, kindText(r.kind), r.receiptNumber, r.memberId, r.detail]
      .map(cell)
      .join(','),
  );
  return [head.map(cell).join(','), ...lines].join('\r\n') + '\r\n';
}
