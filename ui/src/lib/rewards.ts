// A member's coupons and points as the counter shows them: loaded together
// for the member card and the checkout. Money rules stay in the core; this
// only picks what to show and describes an offer's terms for display.
import type { CouponOffer } from './bindings/CouponOffer';
import type { CouponView } from './bindings/CouponView';
import type { Expiring } from './bindings/Expiring';
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
  /** The usable points that lapse first, if any ever do. */
  nextExpiry: Expiring | null;
  /** The shop's points rules; `null` when they could not be read. */
  pointsSettings: PointsSettings | null;
  /** The member's usable coupons (valid today, not used). */
  coupons: CouponView[];
}

/** The member's usable coupons and points, with the shop's points rules. */
export async function loadRewards(backend: RewardsBackend, memberId: number): Promise<MemberRewards> {
  const [coupons, held, pointsSettings] = await Promise.all([
    backend.memberCoupons(memberId),
    backend.memberPoints(memberId),
    backend.getPointsSettings().catch(() => null),
  ]);
  return {
    points: held.points,
    nextExpiry: held.nextExpiry,
    pointsSettings,
    coupons: coupons.filter((c) => c.status === 'usable'),
  };
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

/**
 * The most points a bill with `leftMinor` to pay (after coupons) can take:
 * the member's points, the shop's share of the bill and the point's value
 * (display only; the core checks the redemption).
 */
export function mostRedeemablePoints(settings: PointsSettings | null, held: number, leftMinor: number): number {
  if (!settings || settings.pointValueMinor <= 0 || leftMinor <= 0) return 0;
  const share = Math.floor((leftMinor * Math.min(Math.max(settings.maxRedeemPercent, 1), 100)) / 100);
  return Math.max(0, Math.min(held, Math.floor(share / settings.pointValueMinor)));
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
