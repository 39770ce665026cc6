// A member's coupons and points as the counter shows them: loaded together
// for the member card and the checkout. Money rules stay in the core; this
// only picks what to show and describes an offer's terms for display.
import type { CouponOffer } from './bindings/CouponOffer';
import type { CouponView } from './bindings/CouponView';
import type { PointsSettings } from './bindings/PointsSettings';
import type { Backend } from './types';

/** The backend calls the counter's coupons and points need (and a coupon's slip, printed or saved). */
export type RewardsBackend = Pick<
  Backend,
  | 'memberCoupons'
  | 'getCoupon'
  | 'memberPoints'
  | 'getPointsSettings'
  | 'listOffers'
  | 'issueCoupon'
  | 'quoteCoupons'
  | 'printCouponSlip'
  | 'saveCouponSlipPdf'
  | 'showInFolder'
>;

export interface MemberRewards {
  /** Points the member can redeem now. */
  points: number;
  /** The shop's points rules; `null` when they could not be read. */
  pointsSettings: PointsSettings | null;
  /** The member's usable coupons (valid today, not used). */
  coupons: CouponView[];
}

/** The member's usable coupons and points, with the shop's points rules. */
export async function loadRewards(backend: RewardsBackend, memberId: number): Promise<MemberRewards> {
  const [coupons, points, pointsSettings] = await Promise.all([
    backend.memberCoupons(memberId),
    backend.memberPoints(memberId),
    backend.getPointsSettings().catch(() => null),
  ]);
  return { points, pointsSettings, coupons: coupons.filter((c) => c.status === 'usable') };
}

/** Whether the shop uses points for this member: earning is on, or they still hold some. */
export function showsPoints(rewards: MemberRewards): boolean {
  return rewards.pointsSettings !== null && (rewards.pointsSettings.earnPerMinor > 0 || rewards.points > 0);
}

/** What `points` are worth at the shop's point value (display only; the core checks the redemption). */
export function pointsWorth(settings: PointsSettings | null, points: number): number {
  if (!settings || !Number.isSafeInteger(points) || points <= 0) return 0;
  return points * settings.pointValueMinor;
}

/** An offer's benefit as a translation key and its values (money in minor units). */
export function offerTerms(offer: CouponOffer): { key: string; values: Record<string, number> } {
  switch (offer.kind) {
    case 'amountOff':
      return { key: 'coupons.amountOff', values: { amount: offer.amountOffMinor ?? 0 } };
    case 'percentOff':
      return offer.capMinor
        ? { key: 'coupons.percentOffCapped', values: { percent: offer.percentOff ?? 0, cap: offer.capMinor } }
        : { key: 'coupons.percentOff', values: { percent: offer.percentOff ?? 0 } };
    case 'freeItem':
      return { key: 'coupons.freeItem', values: {} };
    case 'extraStamps':
      return { key: 'coupons.extraStamps', values: { stamps: offer.extraStamps ?? 0 } };
  }
}
