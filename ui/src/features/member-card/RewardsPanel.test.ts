import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../lib/types';
import { coupon, fakeBackend, memberCard, offer } from '../../test/fixtures';
import MemberCardScreen from './MemberCardScreen.svelte';

function setup(overrides: Partial<Backend> = {}, card = memberCard()) {
  const backend = fakeBackend({
    memberCoupons: vi.fn(async () => [coupon(), coupon({ code: 'OLD1-USED', status: 'redeemed' })]),
    memberPoints: vi.fn(async () => ({ points: 320, nextExpiry: null })),
    getPointsSettings: vi.fn(async () => ({ earnPerMinor: 100, pointValueMinor: 1, maxRedeemPercent: 100, birthdayMultiplierPct: 100 })),
    listOffers: vi.fn(async () => [
      offer(),
      offer({ id: 2, name: '九折', kind: 'percentOff', amountOffMinor: undefined, percentOff: 10, capMinor: 100 }),
      offer({ id: 3, name: '停用', active: false }),
    ]),
    issueCoupon: vi.fn(async () => coupon({ code: 'NEW9-CODE', offerId: 2, offerName: '九折', validUntil: '2027-01-30' })),
    ...overrides,
  });
  const onBack = vi.fn();
  render(MemberCardScreen, { card, onBack, rewards: backend });
  return { backend, onBack };
}

describe('The member card with coupons and points', () => {
  it("shows the member's points with their worth and their usable coupons: code, offer, what it takes off, last day", async () => {
    setup();
    expect((await screen.findByTestId('card-points')).textContent).toContain('320 點');
    expect(screen.getByTestId('card-points').textContent).toContain('$320');
    const coupons = screen.getAllByTestId('card-coupon-info').map((c) => c.textContent?.replace(/\s+/g, ' ').trim());
    expect(coupons).toEqual(['K7QX-M2PA 回娘家折50 折 $50 用到 2026-12-31']);
  });

  it('says how many of the points lapse first and on which day', async () => {
    setup({ memberPoints: vi.fn(async () => ({ points: 1240, nextExpiry: { points: 120, lastDay: '2027-03-31' } })) });
    expect((await screen.findByTestId('card-points-expiring')).textContent?.trim()).toBe('其中 120 點將於 2027-03-31 到期');
  });

  it('shows nothing of coupons or points when the shop uses neither', async () => {
    const { backend } = setup({
      memberCoupons: vi.fn(async () => []),
      memberPoints: vi.fn(async () => ({ points: 0, nextExpiry: null })),
      getPointsSettings: vi.fn(async () => ({ earnPerMinor: 0, pointValueMinor: 1, maxRedeemPercent: 100, birthdayMultiplierPct: 100 })),
      listOffers: vi.fn(async () => []),
    });
    await waitFor(() => expect(backend.listOffers).toHaveBeenCalled());
    await Promise.resolve();
    expect(screen.queryByTestId('card-points')).toBeNull();
    expect(screen.queryByTestId('card-coupons')).toBeNull();
    expect(screen.queryByTestId('issue-coupon-open')).toBeNull();
  });

  it('issues a coupon of an active offer and shows the new code large; Escape closes the form, not the card', async () => {
    const { backend, onBack } = setup();
    await fireEvent.click(await screen.findByTestId('issue-coupon-open'));
    const select = screen.getByTestId('issue-offer') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['回娘家折50 · 折 $50', '九折 · 折扣 10%，最多折 $100']);
    await fireEvent.change(select, { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('issue-coupon-confirm'));
    expect((await screen.findByTestId('issued-code')).textContent).toBe('NEW9-CODE');
    const sent = vi.mocked(backend.issueCoupon).mock.calls[0][0];
    expect(sent.memberId).toBe(1);
    expect(sent.offerId).toBe(2);
    expect(sent.requestId).toBeTruthy();
    // The card lists it after the reload.
    await waitFor(() => expect(backend.memberCoupons).toHaveBeenCalledTimes(2));
    await fireEvent.keyDown(screen.getByTestId('issue-coupon'), { key: 'Escape' });
    expect(screen.queryByTestId('issue-coupon')).toBeNull();
    expect(onBack).not.toHaveBeenCalled();
  });

  it('shows a refused issue translated', async () => {
    setup({
      issueCoupon: vi.fn(async () => {
        throw { code: 'OfferPaused', message: '', details: { offer: '回娘家折50' } };
      }),
    });
    await fireEvent.click(await screen.findByTestId('issue-coupon-open'));
    await fireEvent.click(screen.getByTestId('issue-coupon-confirm'));
    expect((await screen.findByTestId('issue-error')).textContent).toContain('回娘家折50');
  });

  it('offers no issuing for an archived member', async () => {
    const card = memberCard();
    setup({}, { ...card, member: { ...card.member, archived: true } });
    await screen.findByTestId('card-coupons');
    expect(screen.queryByTestId('issue-coupon-open')).toBeNull();
  });
});
